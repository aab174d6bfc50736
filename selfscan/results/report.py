"""The school report's charts: the figures of `selectors.school_report`, drawn as SVG.

Every chart repeats figures that the report also prints in a table; the labels on the bars are
the tables' own strings (`pct`), so chart and table never disagree in rounding.
"""

from typing import Any

from django.utils.formats import get_format
from django.utils.translation import gettext as _

from selfscan.results import vectorcharts
from selfscan.results.templatetags.results_tags import pct


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def overview_chart(context: dict[str, Any]) -> str:
    """All themes of the school against the threshold; themes below it hatched."""
    threshold = context["threshold"]
    lines = context["lines"]
    items = [
        (
            line.theme.code,
            None if line.is_nvt or line.school is None else _percent(line.school.pooled_share),
        )
        for line in lines
    ]
    svg = vectorcharts.percent_bars(
        items,
        title=_("Uw school per thema"),
        axis_label=_("Antwoorden voldoende of hoger"),
        threshold=threshold,
        threshold_label=_("drempel %(n)s%%") % {"n": threshold},
        na_label=_("n.v.t."),
        decimal_sep=str(get_format("DECIMAL_SEPARATOR")),
        highlight=[line.meets is False for line in lines],
        value_labels=[_("n.v.t.") if v is None else pct(v / 100) for _label, v in items],
        id_prefix="overzicht",
    )
    return vectorcharts.as_img(
        svg,
        alt=_(
            "Grafiek: per thema het aandeel antwoorden voldoende of hoger van uw school, met de "
            "drempel van %(n)s%%. De cijfers staan in de tabel."
        )
        % {"n": threshold},
    )


def theme_chart(card: dict[str, Any]) -> str:
    """One theme: the school (now and in the previous round, comparable statements) beside the
    wijk, the bestuur and the city. Groups not shown to this user are left out."""
    threshold = card["threshold"]
    row = card["school_row"]
    items: list[tuple[str, float | None]] = [
        (_("Uw school"), _percent(row.pooled_share) if row is not None and row.answered else None)
    ]
    change = card["theme_change"]
    if change is not None and change.comparable:
        items.append(
            (
                _("Uw school, %(round)s") % {"round": card["change"].earlier.name},
                _percent(change.then.share),
            )
        )
    for shown in card["comparisons"]:
        if shown.visible:
            items.append((shown.label, _percent(shown.row.pooled_share)))
    svg = vectorcharts.percent_bars(
        items,
        title=_("%(theme)s: uw school en ter vergelijking") % {"theme": card["theme"].code},
        axis_label=_("Antwoorden voldoende of hoger"),
        threshold=threshold,
        threshold_label=_("drempel %(n)s%%") % {"n": threshold},
        na_label=_("n.v.t."),
        decimal_sep=str(get_format("DECIMAL_SEPARATOR")),
        highlight=[i == 0 and card["meets"] is False for i in range(len(items))],
        value_labels=[_("n.v.t.") if v is None else pct(v / 100) for _label, v in items],
        id_prefix=f"thema-{card['theme'].pk}",
    )
    return vectorcharts.as_img(
        svg,
        alt=_(
            "Grafiek bij %(theme)s: uw school naast wijk, bestuur en stad, met de drempel. De "
            "cijfers staan in de tabellen."
        )
        % {"theme": card["theme"].code},
    )


def add_charts(context: dict[str, Any]) -> dict[str, Any]:
    """The report context with `overview_chart` and a `chart` in every theme card."""
    if not context["submitted"]:
        return context
    context["overview_chart"] = overview_chart(context)
    for card in context["cards"]:
        card["chart"] = theme_chart(card)
    return context


def school_report_pdf(user: Any, scan: Any, progress: Any = None) -> tuple[str, bytes]:
    """File name and content of a school's report PDF as `user` sees it, in the active
    language. Slow (charts and WeasyPrint: seconds to tens of seconds), so it runs in an
    export job, never in a request (docs/decisions/0232)."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from selfscan.results import selectors

    context = selectors.school_report(user, scan)
    if progress:
        progress(10)
    context = add_charts(context)
    if progress:
        progress(40)
    html = render_to_string("results/school_report_pdf.html", context)
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    name = f"schoolrapport-{context['school'].vestigingscode}-{context['round'].pk}.pdf"
    return name, pdf
