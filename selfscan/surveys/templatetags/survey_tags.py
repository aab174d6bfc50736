"""Formatting at the edge: numbers and percentages in the active language (nl: "3,64")."""

from typing import Any

from django import template
from django.utils.formats import number_format

from selfscan.surveys.exports import Fixed
from selfscan.surveys.exports import label as summary_label

register = template.Library()


@register.filter
def num(value: Any, decimals: Any = None) -> str:
    """A number in the active language (nl: decimal comma); without `decimals` at most two
    decimals and no trailing zeros."""
    if value is None or value == "":
        return "–"
    number = float(value)
    if decimals in (None, ""):
        # at most two decimals, without trailing zeros: 3 · 3,5 · 3,64
        decimals = next(d for d in (0, 1, 2) if round(number, d) == round(number, 2))
    return number_format(round(number, int(decimals)), decimal_pos=int(decimals), use_l10n=True)


@register.filter
def pct(value: Any) -> str:
    """A percentage with one decimal: "85,1%"."""
    if value is None:
        return "–"
    return number_format(round(float(value), 1), decimal_pos=1, use_l10n=True) + "%"


@register.filter
def label(value: str) -> str:
    """The summary's fixed labels (ja, nee, blanco) in the active language."""
    return summary_label(value)


@register.filter
def nums(values: Any) -> str:
    """A list of numbers ("3 en 4" style is left to the template: here "3; 4")."""
    return "; ".join(num(v) for v in values or ()) or "–"


@register.filter
def cell(value: Any) -> str:
    """One cell of a breakdown: "4 (40,0%)" for a count, the value for a statistic."""
    if value is None:
        return "–"
    count, share, figure = value
    if isinstance(figure, Fixed):
        return num(figure.value, figure.decimals) if figure.value is not None else "–"
    if figure not in ("", None):
        return figure if isinstance(figure, str) else num(figure)
    if count in ("", None):
        return "–"
    if isinstance(share, Fixed) and share.value is not None:
        return f"{count} ({pct(share.value)})"
    return str(count)
