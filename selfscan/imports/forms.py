from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from selfscan.rounds.models import Round

from .models import RoundImport
from .services import importable_rounds

# With MAX_DATA_ROWS and MAX_CELLS (parsing.py) this bounds a dry run; the wide file of 7,000
# schools × 70 statements is 1.3 MB. Larger files go through the import_round command.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        versions = sorted(
            {str(v) for v in (obj.version_po, obj.version_vo, obj.version_sv) if v is not None}
        )
        return f"{obj.name} ({obj.get_status_display().lower()}; {', '.join(versions)})"


class UploadForm(forms.Form):
    round = RoundChoiceField(
        label=_("Ronde"),
        queryset=Round.objects.none(),
        empty_label=_("Kies een gesloten ronde"),
        help_text=_("Alleen gesloten of gepubliceerde rondes kunnen resultaten ontvangen."),
    )
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("CSV (puntkomma of komma, UTF-8 of Windows-1252) of Excel-werkmap (.xlsx)."),
    )
    layout = forms.ChoiceField(
        label=_("Indeling"),
        choices=RoundImport.Layout.choices,
        required=False,
        help_text=_("Laat op automatisch staan, tenzij de herkenning zich vergist."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = importable_rounds().select_related(  # type: ignore[attr-defined]
            "version_po__norm", "version_vo__norm", "version_sv__norm"
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan 20 MB; gebruik het beheercommando import_round.")
            )
        if upload.size == 0:
            raise forms.ValidationError(_("Het bestand is leeg."))
        return upload


class ConfirmForm(forms.Form):
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
