"""Readable Dutch labels for the audit log's action codes (the code stays what is stored)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "bestuur.aangemaakt": _("Bestuur toegevoegd"),
    "bestuur.gewijzigd": _("Bestuur gewijzigd"),
    "school.aangemaakt": _("School toegevoegd"),
    "school.gewijzigd": _("School gewijzigd"),
    "school.gesloten": _("School gesloten"),
    "wijk.aangemaakt": _("Wijk toegevoegd"),
    "wijk.gewijzigd": _("Wijk gewijzigd"),
    "stadsdeel.aangemaakt": _("Stadsdeel toegevoegd"),
    "stadsdeel.gewijzigd": _("Stadsdeel gewijzigd"),
    "register.geimporteerd": _("Register geïmporteerd"),
    "gebruiker.uitgenodigd": _("Gebruiker uitgenodigd"),
    "gebruiker.gewijzigd": _("Gebruiker gewijzigd"),
    "gebruiker.gedeactiveerd": _("Gebruiker gedeactiveerd"),
    "uitnodiging.verstuurd": _("Uitnodiging verstuurd"),
    "uitnodiging.aanvaard": _("Uitnodiging aanvaard"),
    "norm.geladen": _("Normversie geladen"),
    "norm.vervangen": _("Normversie vervangen"),
    "round.created": _("Meetronde aangemaakt"),
    "round.changed": _("Meetronde gewijzigd"),
    "round.scheduled": _("Meetronde gepland"),
    "round.opened": _("Meetronde geopend"),
    "round.reopened": _("Meetronde heropend"),
    "round.extended": _("Sluitdatum verlengd"),
    "round.closed": _("Meetronde gesloten"),
    "round.published": _("Meetronde gepubliceerd"),
    "round.reminders_requested": _("Herinneringen aangevraagd"),
    "round.reminders_sent": _("Herinneringen verstuurd"),
    "round.invitations_sent": _("Uitnodigingen voor de meetronde verstuurd"),
    "scan.submitted": _("Zelfscan ingediend"),
    "scan.reopened": _("Zelfscan heropend"),
    "import_round": _("Resultaten geïmporteerd"),
    "import.uploaded": _("Resultatenbestand geüpload voor een proefimport"),
    "import.checked": _("Proefimport van resultaten afgerond"),
    "import.confirmed": _("Import van resultaten bevestigd"),
    "import.refused": _("Import van resultaten geweigerd bij het opnieuw controleren"),
    "import.failed": _("Import van resultaten mislukt"),
    "import.retried": _("Import van resultaten opnieuw gestart"),
    "survey.created": _("Vragenlijst aangemaakt"),
    "survey.loaded": _("Vragenlijst geladen uit bestand"),
    "survey.reloaded": _("Vragenlijst opnieuw geladen"),
    "survey.updated": _("Vragenlijst gewijzigd"),
    "survey.reordered": _("Volgorde van vragen gewijzigd"),
    "survey.section_added": _("Onderdeel toegevoegd"),
    "survey.section_changed": _("Onderdeel gewijzigd"),
    "survey.section_deleted": _("Onderdeel verwijderd"),
    "survey.question_saved": _("Vraag opgeslagen"),
    "survey.question_deleted": _("Vraag verwijderd"),
    "survey.category_created": _("Categorie aangemaakt"),
    "survey.category_renamed": _("Categorie hernoemd"),
    "survey.categories_merged": _("Categorieën samengevoegd"),
    "survey.answers_coded": _("Open antwoorden gecodeerd"),
    "perspective.started": _("Teamlid begonnen met eigen antwoorden"),
    "perspective.function_changed": _("Functie van teamlid gewijzigd"),
    "perspective.finished": _("Teamlid klaar met eigen antwoorden"),
}


def action_label(code: str) -> str:
    """The readable label of an action code; unknown codes are shown as they are."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
