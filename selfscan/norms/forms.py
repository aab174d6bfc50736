from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .schema import SECTORS
from .services import MAX_FILE_BYTES


class SectorFilterForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", _("Alle sectoren")), *((s, s) for s in SECTORS)],
    )


class CompareForm(forms.Form):
    van = forms.ChoiceField(label=_("Vergelijk met versie"), required=False)

    def __init__(self, *args: Any, versions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["van"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v.label, v.title) for v in versions]


class UploadForm(forms.Form):
    bestand = forms.FileField(
        label=_("Normbestand (YAML)"),
        help_text=_("Een .yaml-bestand in UTF-8, zoals beschreven in norms/README.md."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def clean_bestand(self) -> Any:
        upload = self.cleaned_data["bestand"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Het bestand is te groot (hoogstens %(kb)s kB).") % {"kb": MAX_FILE_BYTES // 1000}
            )
        if not upload.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(_("Kies een bestand dat eindigt op .yaml of .yml."))
        return upload


class PublishForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
