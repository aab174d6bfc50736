from django import forms
from django.utils.translation import gettext_lazy as _

from .services import EXPIRY_CHOICES_DAYS


def _expiry_choices() -> list[tuple[int, str]]:
    return [(days, _("%(n)s dagen") % {"n": days}) for days in EXPIRY_CHOICES_DAYS]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=100,
        help_text=_("Waar gebruikt u de sleutel voor? Bijvoorbeeld: Power BI bestuursrapportage."),
    )
    days = forms.TypedChoiceField(
        label=_("Geldig"),
        choices=_expiry_choices,
        coerce=int,
        initial=90,
        help_text=_("Na deze periode werkt de sleutel niet meer; maak dan een nieuwe."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Geef de sleutel een naam."))
        return name
