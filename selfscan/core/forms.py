"""Form fields shared by the apps."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

MAX_BIGINT = 2**63 - 1


class IdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField over integer keys that refuses ids outside the database's
    integer range with the usual "not a valid value" message (SQLite raises OverflowError,
    a 500, on a tampered form with a 40-digit id)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # the parent reports it
            if not -MAX_BIGINT <= number <= MAX_BIGINT:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]


class QuickSelect(forms.Select):
    """A `<select>` written in Python instead of through a template per option: the same HTML
    as Django's Select (without option groups), some 30× faster. A filter over 875 besturen
    (7,000 schools) took 0.4 s to render through the templates (issue 18)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for _group, group_choices, _index in widget["optgroups"]
                for option in group_choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>', widget["name"], flatatt(widget["attrs"]), options
        )
