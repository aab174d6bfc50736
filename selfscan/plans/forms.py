"""Forms of improvement actions: validated field by field in Dutch; the service checks again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_NOTE, MAX_OWNER_NAME, MAX_WHAT, ImprovementAction

INCOMPLETE = _("Het formulier is onvolledig. Laad de pagina opnieuw.")
BAD_STATUS = _("Kies een status: gepland, bezig, afgerond of vervallen.")
BAD_DATE = _("Vul een datum in als dag-maand-jaar, bijvoorbeeld 31-03-2026.")


class ActionForm(forms.Form):
    """Add (without `version`) or change (with the version the page loaded) one action."""

    what = forms.CharField(
        label=_("Wat gaat het team doen?"),
        max_length=MAX_WHAT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Beschrijf wat de verbeteractie is.")},
    )
    owner = forms.TypedChoiceField(
        label=_("Eigenaar uit het team"), required=False, coerce=int, empty_value=None
    )
    owner_name = forms.CharField(
        label=_("of een andere eigenaar (naam)"), max_length=MAX_OWNER_NAME, required=False
    )
    due_on = forms.DateField(
        label=_("Uiterlijk klaar op"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": BAD_DATE},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ImprovementAction.Status.choices,
        initial=ImprovementAction.Status.PLANNED,
        error_messages={"invalid_choice": BAD_STATUS},
    )
    note = forms.CharField(
        label=_("Notitie"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        error_messages={"invalid": INCOMPLETE},
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = [("", _("(geen teamlid gekozen)"))] + [
            (m.pk, m.get_full_name() or m.email) for m in members
        ]
        owner.error_messages["invalid_choice"] = _("Kies een eigenaar uit het team van de school.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") and (data.get("owner_name") or "").strip():
            self.add_error("owner_name", _("Kies een teamlid óf vul een naam in, niet allebei."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "what": data["what"],
            "owner_id": data.get("owner"),
            "owner_name": data.get("owner_name") or "",
            "due_on": data.get("due_on"),
            "status": data["status"],
            "note": data.get("note") or "",
        }


def initial_for(action: ImprovementAction) -> dict[str, Any]:
    return {
        "what": action.what,
        "owner": action.owner_id or "",
        "owner_name": action.owner_name,
        "due_on": action.due_on,
        "status": action.status,
        "note": action.note,
        "version": action.version,
    }


class StatusForm(forms.Form):
    """Only the status of an action (last round's actions, followed up in this round)."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=ImprovementAction.Status.choices,
        error_messages={"invalid_choice": BAD_STATUS},
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE},
    )
