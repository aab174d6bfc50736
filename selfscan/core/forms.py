"""Form fields shared by the apps."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

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
