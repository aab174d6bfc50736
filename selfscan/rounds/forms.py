from collections import Counter
from datetime import date
from typing import Any

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from selfscan.core.forms import IdsMultipleChoiceField, QuickSelect
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
    # Whole groups: their schools are added to the ticked ones (works without JavaScript).
    invite_sectors = forms.MultipleChoiceField(
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Per sector"),
    )
    invite_besturen = IdsMultipleChoiceField(
        queryset=Bestuur.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Per bestuur"),
    )
    invite_wijken = IdsMultipleChoiceField(
        queryset=Wijk.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Per wijk"),
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
            "team_perspectives",
            "min_group_size",
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
        self.schools = list(active_schools().select_related("bestuur", "wijk").order_by("name"))
        self.fields["invited_schools"].queryset = active_schools()  # type: ignore[attr-defined]
        self.fields["invite_besturen"].queryset = Bestuur.objects.filter(  # type: ignore[attr-defined]
            pk__in={s.bestuur_id for s in self.schools}
        ).order_by("name")
        self.fields["invite_wijken"].queryset = Wijk.objects.filter(  # type: ignore[attr-defined]
            pk__in={s.wijk_id for s in self.schools if s.wijk_id}
        ).order_by("name")
        self.fields["threshold_percent"].validators.append(_percent)
        # Optional in a post (older forms and scripts leave it out): the stored value stays.
        self.fields["min_group_size"].required = False
        self.fields["min_group_size"].help_text = _(
            "Besturen en het samenwerkingsverband zien spreiding in een team pas vanaf zoveel "
            "teamleden, en cijfers van groepen pas vanaf zoveel scholen."
        )
        if self.instance.pk:
            self.initial["invited_schools"] = list(self.instance.invited_schools.all())
        else:
            for sector in ("PO", "VO", "SV"):
                latest = latest_adopted_version(sector)
                if latest is not None:
                    self.initial.setdefault(f"version_{sector.lower()}", latest.pk)

    def clean_min_group_size(self) -> int:
        value = self.cleaned_data.get("min_group_size")
        if value is None:
            return self.instance.min_group_size or 3
        if not 1 <= value <= 50:
            raise forms.ValidationError(_("Kies een kleinste groep van 1 tot en met 50."))
        return int(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = {s.pk for s in data.get("invited_schools") or []}
        sectors = set(data.get("invite_sectors") or [])
        besturen = {b.pk for b in data.get("invite_besturen") or []}
        wijken = {w.pk for w in data.get("invite_wijken") or []}
        chosen |= {
            s.pk
            for s in self.schools
            if s.sector in sectors or s.bestuur_id in besturen or s.wijk_id in wijken
        }
        data["invited_schools"] = [s for s in self.schools if s.pk in chosen]
        return data

    def _ticked(self, name: str) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist(name))  # type: ignore[attr-defined]
        return {str(getattr(v, "pk", v)) for v in self.initial.get(name) or []}

    def school_groups(self) -> list[dict[str, Any]]:
        """The schools by sector, each sorted by name, with whether each is ticked and its
        bestuur and wijk (for the select-all buttons)."""
        ticked = self._ticked("invited_schools")
        groups = []
        for value, label in Sector.choices:
            rows = [
                {"school": s, "checked": str(s.pk) in ticked}
                for s in self.schools
                if s.sector == value
            ]
            if rows:
                groups.append({"sector": value, "label": label, "rows": rows})
        return groups

    def group_options(self) -> list[dict[str, Any]]:
        """Per kind of group (sector, bestuur, wijk) its options with their number of schools."""
        sectors = Counter(s.sector for s in self.schools)
        besturen = Counter(s.bestuur_id for s in self.schools)
        wijken = Counter(s.wijk_id for s in self.schools if s.wijk_id)
        kinds = [
            ("invite_sectors", "sector", [(v, lbl, sectors[v]) for v, lbl in Sector.choices]),
            (
                "invite_besturen",
                "bestuur",
                [(b.pk, b.name, besturen[b.pk]) for b in self.fields["invite_besturen"].queryset],  # type: ignore[attr-defined]
            ),
            (
                "invite_wijken",
                "wijk",
                [(w.pk, w.name, wijken[w.pk]) for w in self.fields["invite_wijken"].queryset],  # type: ignore[attr-defined]
            ),
        ]
        return [
            {
                "name": name,
                "kind": kind,
                "label": self.fields[name].label,
                "errors": self.errors.get(name, []) if self.is_bound else [],
                "options": [
                    {
                        "value": str(value),
                        "label": label,
                        "count": count,
                        "checked": str(value) in self._ticked(name),
                    }
                    for value, label, count in options
                    if count
                ],
            }
            for name, kind, options in kinds
        ]


def latest_adopted_version(sector: str) -> NormVersion | None:
    """The most recently adopted version that applies to `sector` (a version without sectors
    applies to all)."""
    versions = NormVersion.objects.filter(status=NormVersion.Status.ADOPTED).order_by(
        F("adopted_on").desc(nulls_last=True), "-pk"
    )
    return next((v for v in versions if not v.sectors or sector in v.sectors), None)


def _percent(value: int) -> None:
    if not 1 <= value <= 100:
        raise forms.ValidationError(_("Kies een percentage van 1 tot en met 100."))


class ExtendForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Nieuwe sluitingsdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reden (optioneel; de scholen zien deze reden)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class RoundReopenForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Nieuwe sluitingsdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reden (de scholen zien deze reden)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden (de school ziet deze reden)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ProgressFilterForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", _("Alle")), *Sector.choices],
        widget=QuickSelect,
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"),
        required=False,
        queryset=Wijk.objects.none(),
        empty_label=_("Alle"),
        widget=QuickSelect,
    )
    bestuur = forms.ModelChoiceField(
        label=_("Bestuur"),
        required=False,
        queryset=Bestuur.objects.none(),
        empty_label=_("Alle"),
        widget=QuickSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle")), *Scan.Status.choices],
        widget=QuickSelect,
    )
    q = forms.CharField(label=_("Zoeken op schoolnaam"), required=False, max_length=100)
    login = forms.ChoiceField(
        label=_("Inloggen"),
        required=False,
        choices=[("", _("Alle")), ("niemand", _("Niemand kan inloggen"))],
        widget=QuickSelect,
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


__all__ = [
    "ExtendForm",
    "ProgressFilterForm",
    "ReopenForm",
    "RoundForm",
    "RoundReopenForm",
    "date",
    "latest_adopted_version",
]
