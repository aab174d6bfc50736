"""Results pages: thin views that ask permissions, call one selector and render."""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from selfscan.accounts import permissions
from selfscan.core.access import require
from selfscan.exports.services import request_school_report
from selfscan.norms.models import Theme
from selfscan.plans.views import panel_context
from selfscan.results import charts, report, selectors
from selfscan.results.aggregation import HIST_BINS
from selfscan.results.services import results_state
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan


def _round(round_id: int) -> Round:
    return get_object_or_404(
        Round.objects.select_related("version_po", "version_vo", "version_sv"),
        pk=round_id,
        status__in=selectors.VISIBLE_STATUSES,
    )


def _scan(request: HttpRequest, round_id: int, school_id: int) -> Scan:
    try:
        return selectors.scoped_scan(request.user, round_id, school_id)
    except Scan.DoesNotExist as exc:
        raise Http404 from exc


@require(permissions.is_member)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "results/index.html", selectors.results_index(request.user))


@require(permissions.is_member)
def school_overview(request: HttpRequest, round_id: int, school_id: int) -> HttpResponse:
    scan = _scan(request, round_id, school_id)
    context = selectors.school_overview(request.user, scan)
    context["results_state"] = results_state(scan.round)
    return render(request, "results/school_overview.html", context)


def _themakaart_context(
    request: HttpRequest, round_id: int, school_id: int, theme_id: int
) -> dict[str, Any]:
    scan = _scan(request, round_id, school_id)
    theme = get_object_or_404(Theme, pk=theme_id, version=scan.norm_version)
    return selectors.themakaart(request.user, scan, theme)


@require(permissions.is_member)
def themakaart(request: HttpRequest, round_id: int, school_id: int, theme_id: int) -> HttpResponse:
    context = _themakaart_context(request, round_id, school_id, theme_id)
    school_row = context["school_row"]
    marker = school_row.pooled_share if school_row else None
    school_bin = (
        min(HIST_BINS - 1, HIST_BINS * school_row.sufficient // school_row.answered)
        if school_row and school_row.answered
        else None
    )
    distributions = []
    for shown in context["comparisons"]:
        if not shown.visible or shown.row is None:
            continue
        chart = charts.distribution(
            shown.row.histogram,
            threshold=context["threshold"],
            div_id=f"verdeling-{shown.level}",
            title=shown.label,
            marker=marker,
            marker_label=_("uw school"),
        )
        bins = [
            (label, count, i == school_bin)
            for i, (label, count) in enumerate(
                zip(charts.bin_labels(), shown.row.histogram, strict=False)
            )
        ]
        distributions.append((shown, chart, bins))
    context["distributions"] = distributions
    context["plans"] = panel_context(request, context["scan"], context["theme"])
    return render(request, "results/themakaart.html", context)


@require(permissions.is_member)
def themakaart_pdf(
    request: HttpRequest, round_id: int, school_id: int, theme_id: int
) -> HttpResponse:
    from weasyprint import HTML

    context = _themakaart_context(request, round_id, school_id, theme_id)
    context["plans"] = panel_context(request, context["scan"], context["theme"])
    context["chart"] = report.theme_chart(context)
    html = render_to_string("results/themakaart_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"themakaart-{context['school'].vestigingscode}-{context['theme'].code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _school_report_context(request: HttpRequest, round_id: int, school_id: int) -> dict[str, Any]:
    scan = _scan(request, round_id, school_id)
    return report.add_charts(selectors.school_report(request.user, scan))


@require(permissions.is_member)
def school_report(request: HttpRequest, round_id: int, school_id: int) -> HttpResponse:
    """The school's full report as a print view (the same body as the PDF)."""
    context = _school_report_context(request, round_id, school_id)
    return render(request, "results/school_report.html", context)


@require(permissions.is_member)
@require_http_methods(["GET", "POST"])
def school_report_pdf(request: HttpRequest, round_id: int, school_id: int) -> HttpResponse:
    """ "PDF maken" (POST): start, or find the running or just-finished, background job that
    makes the report PDF as this user sees it, in their language, and show its page. A GET (an
    old bookmark) only leads to the report page, whose button starts it: a GET changes nothing
    (docs/decisions/0232)."""
    scan = _scan(request, round_id, school_id)
    if request.method == "GET":
        return redirect("results:school_report", round_id=round_id, school_id=school_id)
    job = request_school_report(
        user=request.user, scan=scan, language=translation.get_language() or ""
    )
    return redirect("exports:job", pk=job.pk)


@require(permissions.can_view_board_dashboards)
def board_dashboard(request: HttpRequest, round_id: int, bestuur_id: int) -> HttpResponse:
    bestuur = get_object_or_404(permissions.visible_besturen(request.user), pk=bestuur_id)
    round_ = _round(round_id)
    sort = request.GET.get("sorteer", "naam")
    sector = request.GET.get("sector", "")
    below = request.GET.get("onder_drempel") == "1"
    context = selectors.board_dashboard(
        request.user,
        round_,
        bestuur.pk,
        sort=sort if sort in {"naam", "aandeel"} else "naam",
        sector=sector if sector in {"PO", "VO", "SV"} else "",
        below_only=below,
    )
    context.update(bestuur=bestuur, sort=sort, sector=sector, below=below)
    if context["lines"] and context["themes"]:
        context["heatmap"] = charts.heatmap(
            [line.name for line in context["lines"]],
            context["theme_labels"],
            [[c.pooled_share if c else None for c in line.cells] for line in context["lines"]],
            threshold=context["threshold"],
            div_id="heatmap",
            title=_("Aandeel voldoende of hoger per school en thema"),
            tallies=[
                [(c.sufficient, c.answered) if c else None for c in line.cells]
                for line in context["lines"]
            ],
            not_submitted=[not (line.norm and line.norm.submitted) for line in context["lines"]],
        )
    trend = context["trend"]
    if len(trend) > 1:
        series = {
            bestuur.name: [
                p.bestuur.row.pooled_share if p.bestuur.visible and p.bestuur.row else None
                for p in trend
            ],
            _("Stad"): [
                p.city.row.pooled_share if p.city.visible and p.city.row else None for p in trend
            ],
        }
        context["trend_chart"] = charts.trend(
            [p.label for p in trend],
            series,
            threshold=context["threshold"],
            div_id="trend",
            title=_("Ontwikkeling over de metingen"),
        )
    context["results_state"] = results_state(round_)
    return render(request, "results/board_dashboard.html", context)


@require(permissions.can_view_city_results)
def city_dashboard(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(round_id)
    context = selectors.city_dashboard(round_)
    context["charts"] = [
        (
            row,
            charts.distribution(
                row.histogram,
                threshold=context["threshold"],
                div_id=f"verdeling-{row.key}",
                title=_("Verdeling van de scholen, %(sector)s") % {"sector": row.label},
            ),
            list(zip(charts.bin_labels(), row.histogram, strict=False)),
        )
        for row in context["sectors"]
    ]
    context["results_state"] = results_state(round_)
    return render(request, "results/city_dashboard.html", context)


def _explorer(request: HttpRequest, round_: Round, bestuur: Any = None) -> HttpResponse:
    from selfscan.results import thresholds

    chosen, error = thresholds.parse_threshold(request.GET.get("drempel"), round_.threshold_percent)
    context = selectors.threshold_explorer(
        request.user, round_, chosen, bestuur.pk if bestuur is not None else None
    )
    context.update(bestuur=bestuur, error=error, raw=request.GET.get("drempel", ""))
    context["chart"] = charts.threshold_curves(
        context["thresholds"],
        {c.label: c.shares for c in context["sectors"]},
        threshold=context["threshold"],
        chosen=chosen,
        div_id="drempelverkenner",
        title="",  # the section's heading names it; a plotly title is clipped on a phone
    )
    return render(request, "results/threshold_explorer.html", context)


@require(permissions.can_view_city_results)
def threshold_explorer(request: HttpRequest, round_id: int) -> HttpResponse:
    return _explorer(request, _round(round_id))


@require(permissions.can_view_board_dashboards)
def board_threshold_explorer(request: HttpRequest, round_id: int, bestuur_id: int) -> HttpResponse:
    bestuur = get_object_or_404(permissions.visible_besturen(request.user), pk=bestuur_id)
    return _explorer(request, _round(round_id), bestuur)


def _published(round_id: int) -> Round:
    return get_object_or_404(Round, pk=round_id, status=Round.Status.PUBLISHED)


@require(permissions.can_view_city_results)
def annual_report_pdf(request: HttpRequest, round_id: int) -> HttpResponse:
    from selfscan.results import annual

    round_ = _published(round_id)
    pdf = annual.to_pdf(
        annual.annual_report(round_), request=request, base_url=str(settings.BASE_DIR)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="jaarrapportage-ronde{round_.pk}.pdf"'
    return response


@require(permissions.can_view_city_results)
def annual_report_xlsx(request: HttpRequest, round_id: int) -> HttpResponse:
    from selfscan.results import annual

    round_ = _published(round_id)
    content = annual.to_xlsx(annual.annual_report(round_))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="jaarrapportage-ronde{round_.pk}.xlsx"'
    return response


@require(permissions.can_view_city_results)
def city_dashboard_xlsx(request: HttpRequest, round_id: int) -> HttpResponse:
    """The city dashboard's tables as an Excel workbook, for any round with results (the annual
    report's workbook, which is the same tables with the earlier rounds beside them)."""
    from selfscan.results import annual

    round_ = _round(round_id)
    content = annual.to_xlsx(annual.annual_report(round_))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="stadsdashboard-ronde{round_.pk}.xlsx"'
    return response
