"""The wizard's step form: one theme's statements, validated field by field in Dutch."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from selfscan.norms.models import NVT_CODE, ScaleLevel, Statement

from .services import MAX_COMMENT, MAX_REFLECTION

RESOLVE_CHOICES = [("theirs", _("Hun antwoord houden")), ("mine", _("Mijn antwoord opslaan"))]


class ThemeStepForm(forms.Form):
    """Fields per statement: `s<id>-value`, `-comment`, `-nvt`, `-version`, `-resolve`, and
    the answer as the page loaded it (`-loaded-value`, `-loaded-comment`, `-loaded-nvt`); per
    theme: `reflection`, `reflection-version`, `reflection-loaded` (improvement actions:
    selfscan/plans).
    The loaded values let the save compare only what this person changed."""

    def __init__(
        self,
        *args: Any,
        statements: list[Statement],
        scale: list[ScaleLevel],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.statements = statements
        choices = [("", "-"), *[(level.code, level.label) for level in scale], (NVT_CODE, "NVT")]
        invalid = _("“%(value)s” is geen antwoord op de schaal van deze norm.")
        for st in statements:
            self.fields[f"s{st.pk}-value"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=st.text,
                error_messages={"invalid_choice": invalid},
            )
            self.fields[f"s{st.pk}-comment"] = forms.CharField(
                required=False, max_length=MAX_COMMENT, label=_("Toelichting")
            )
            self.fields[f"s{st.pk}-nvt"] = forms.CharField(
                required=False, max_length=MAX_COMMENT, label=_("Uitleg bij n.v.t.")
            )
            self.fields[f"s{st.pk}-version"] = forms.IntegerField(
                min_value=0,
                error_messages={
                    "required": _("Het formulier is onvolledig. Laad de pagina opnieuw."),
                    "invalid": _("Het formulier is onvolledig. Laad de pagina opnieuw."),
                },
            )
            self.fields[f"s{st.pk}-resolve"] = forms.ChoiceField(
                choices=RESOLVE_CHOICES, required=False
            )
            for key in ("loaded-value", "loaded-comment", "loaded-nvt"):
                self.fields[f"s{st.pk}-{key}"] = forms.CharField(
                    required=False, max_length=MAX_COMMENT, strip=False
                )
        self.fields["reflection"] = forms.CharField(
            required=False, max_length=MAX_REFLECTION, label=_("Reflectie op dit thema")
        )
        self.fields["reflection-version"] = forms.IntegerField(min_value=0, required=False)
        self.fields["reflection-loaded"] = forms.CharField(
            required=False, max_length=MAX_REFLECTION, strip=False
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for st in self.statements:
            value = data.get(f"s{st.pk}-value")
            if value == NVT_CODE and not st.nvt_allowed:
                self.add_error(
                    f"s{st.pk}-value",
                    _("Bij stelling %(code)s is n.v.t. niet toegestaan.") % {"code": st.code},
                )
            elif value == NVT_CODE and not (data.get(f"s{st.pk}-nvt") or "").strip():
                self.add_error(
                    f"s{st.pk}-nvt",
                    _("Licht toe waarom stelling %(code)s niet van toepassing is.")
                    % {"code": st.code},
                )
        return data

    def _loaded(self, prefix: str) -> dict[str, str] | None:
        """The answer as the page loaded it; None for a form without it (then the version
        alone decides)."""
        if f"{prefix}-loaded-value" not in self.data:
            return None
        data = self.cleaned_data
        return {
            "value": data.get(f"{prefix}-loaded-value") or "",
            "comment": data.get(f"{prefix}-loaded-comment") or "",
            "nvt_explanation": data.get(f"{prefix}-loaded-nvt") or "",
        }

    def reflection_base(self) -> dict[str, str] | None:
        if "reflection-loaded" not in self.data:
            return None
        data = self.cleaned_data
        return {
            "reflection": data.get("reflection-loaded") or "",
        }

    def entries(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "statement": st.pk,
                "value": data.get(f"s{st.pk}-value") or "",
                "comment": data.get(f"s{st.pk}-comment") or "",
                "nvt_explanation": data.get(f"s{st.pk}-nvt") or "",
                "version": data.get(f"s{st.pk}-version"),
                "resolve": data.get(f"s{st.pk}-resolve") or "",
                "base": self._loaded(f"s{st.pk}"),
            }
            for st in self.statements
        ]
