from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from selfscan.core.forms import IdsMultipleChoiceField
from selfscan.norms.models import NormVersion
from selfscan.organisations.models import Bestuur, School, Sector, Wijk
from selfscan.scans.models import Scan

from .models import Round
from .services import active_schools


class RoundForm(forms.ModelForm):
    invited_schools = IdsMultipleChoiceField(
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Uitgenodigde scholen"),
        help_text=_("Niets aangevinkt: alle actieve scholen van de sectoren met een normversie."),
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "version_po",
            "version_vo",
            "version_sv",
            "opens_on",
            "closes_on",
            "threshold_percent",
            "reminder_days_before",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only adopted versions: a concept may still change, and school teams cannot browse it.
        versions = NormVersion.objects.select_related("norm").filter(
            status=NormVersion.Status.ADOPTED
        )
        for key in ("version_po", "version_vo", "version_sv"):
            self.fields[key].queryset = versions  # type: ignore[attr-defined]
            self.fields[key].empty_label = _("Geen: deze sector doet niet mee")  # type: ignore[attr-defined]
        self.fields["invited_schools"].queryset = active_schools().order_by(  # type: ignore[attr-defined]
            "sector", "name"
        )
        self.fields["threshold_percent"].validators.append(_percent)
        if self.instance.pk:
            self.initial["invited_schools"] = list(self.instance.invited_schools.all())


def _percent(value: int) -> None:
    if not 1 <= value <= 100:
        raise forms.ValidationError(_("Kies een percentage van 1 tot en met 100."))


class ExtendForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Nieuwe sluitingsdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden (de school ziet deze reden)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ProgressFilterForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Alle")), *Sector.choices]
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"), required=False, queryset=Wijk.objects.none(), empty_label=_("Alle")
    )
    bestuur = forms.ModelChoiceField(
        label=_("Bestuur"), required=False, queryset=Bestuur.objects.none(), empty_label=_("Alle")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle")), *Scan.Status.choices]
    )
    q = forms.CharField(label=_("Zoeken op schoolnaam"), required=False, max_length=100)
    login = forms.ChoiceField(
        label=_("Inloggen"),
        required=False,
        choices=[("", _("Alle")), ("niemand", _("Niemand kan inloggen"))],
    )

    def __init__(self, *args: Any, wijken: Any, besturen: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wijk"].queryset = wijken  # type: ignore[attr-defined]
        self.fields["bestuur"].queryset = besturen  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The values that are valid; a wrong one (an unknown status, a wijk outside one's
        scope) is left out, so the other filters still apply."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def show_counts(self, counts: dict[str, int]) -> None:
        """Label each status option with its number of schools (under the other filters)."""
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Alle")),
            *((value, f"{label} ({counts.get(value, 0)})") for value, label in Scan.Status.choices),
        ]


__all__ = ["ExtendForm", "ProgressFilterForm", "ReopenForm", "RoundForm", "date"]
