from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SCHOOL_REGISTER_FIELDS, Bestuur, School, Sector, Stadsdeel, Wijk


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = SCHOOL_REGISTER_FIELDS
        widgets = {
            "active_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "active_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_vestigingscode(self) -> str:
        return (self.cleaned_data.get("vestigingscode") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sector, wijk = data.get("sector"), data.get("wijk")
        if sector and sector != Sector.PO and wijk is not None:
            self.add_error(
                "wijk", _("Alleen scholen in het primair onderwijs (PO) hebben een wijk.")
            )
        start, end = data.get("active_from"), data.get("active_to")
        if start and end and end < start:
            self.add_error("active_to", _("De einddatum ligt vóór de begindatum."))
        return data


class BestuurForm(forms.ModelForm):
    class Meta:
        model = Bestuur
        fields = ["name", "bevoegd_gezag_nummer", "contact_email"]


class WijkForm(forms.ModelForm):
    class Meta:
        model = Wijk
        fields = ["name", "stadsdeel"]


class StadsdeelForm(forms.ModelForm):
    class Meta:
        model = Stadsdeel
        fields = ["name"]


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken op naam of code"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Alle")), *Sector.choices]
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"), required=False, queryset=Wijk.objects.all(), empty_label=_("Alle")
    )
    bestuur = forms.ModelChoiceField(
        label=_("Bestuur"), required=False, queryset=Bestuur.objects.all(), empty_label=_("Alle")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle")), ("actief", _("Actief")), ("gesloten", _("Gesloten"))],
    )


# The whole register is a few hundred rows; the file also waits in the database for the confirm.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand (CSV of XLSX)"),
        help_text=_(
            "Een DUO-bestand of ons eigen sjabloon; puntkomma of komma, UTF-8 of Windows-1252."
        ),
    )
    close_missing = forms.BooleanField(
        label=_(
            "Scholen sluiten die niet in het bestand staan (alleen van de sectoren in het bestand)"
        ),
        help_text=_(
            "Alleen aanvinken als het bestand alle scholen van die sectoren bevat. De proefrun "
            "noemt het aantal scholen dat wordt gesloten."
        ),
        required=False,
        initial=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("Het bestand is te groot (hoogstens %(mb)s MB).")
                % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        return upload


class ImportApplyForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput)
