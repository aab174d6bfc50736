from django import forms
from django.utils.translation import gettext_lazy as _

from selfscan.results.selectors import VISIBLE_STATUSES
from selfscan.rounds.models import Round


class ExportForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Meting"),
        queryset=Round.objects.filter(status__in=VISIBLE_STATUSES).order_by("-opens_on"),
        empty_label=None,
    )
    kind = forms.ChoiceField(
        label=_("Soort export"),
        choices=[
            ("scholen", _("Resultaten per school")),
            ("stellingen", _("Antwoorden per stelling (één rij per school en stelling)")),
            ("verbeteracties", _("Verbeteracties (één rij per actie)")),
        ],
        widget=forms.RadioSelect,
    )
    file_format = forms.ChoiceField(
        label=_("Bestandsformaat"),
        choices=[
            ("xlsx", _("Excel (.xlsx), met gegevenswoordenboek")),
            ("csv", _("CSV (puntkomma's en decimale komma)")),
        ],
        widget=forms.RadioSelect,
    )
