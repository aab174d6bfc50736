"""Formatting at the edge: shares (0..1) as percentages with the locale's decimal separator."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def pct(value: Any, decimals: int = 1) -> str:
    """0.8421 → "84,2%" in Dutch, "84.2%" in English; None → "–"."""
    if value is None or value != value:  # None or NaN
        return "–"
    return f"{_number(float(value) * 100, decimals)}%"


def _number(value: float, decimals: int) -> str:
    """Round half up (Django's number_format truncates floats), then localise."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True)


@register.filter
def pct_points(value: Any) -> str:
    """A difference of two shares in percentage points, with its sign: "+3,5" / "−1,0"."""
    if value is None or value != value:
        return "–"
    number = _number(abs(float(value)) * 100, 1)
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return _("%(sign)s%(n)s procentpunt") % {"sign": sign, "n": number}


@register.filter
def ratio(part: Any, whole: Any) -> float | None:
    try:
        return float(part) / float(whole) if whole else None
    except (TypeError, ValueError):
        return None


@register.filter
def index(sequence: Any, i: int) -> Any:
    try:
        return sequence[i]
    except (IndexError, KeyError, TypeError):
        return None


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
