"""The read-only API (/api/v1/): thin views over the permission module and the selectors."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics
from rest_framework import serializers as s
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from selfscan.accounts import permissions
from selfscan.norms.models import NormVersion, Statement
from selfscan.organisations.models import Sector
from selfscan.results import selectors as results
from selfscan.rounds import selectors as rounds
from selfscan.surveys import selectors as surveys

from . import selectors
from . import serializers as ser
from .renderers import CSVRenderer
from .serializers import doc

ERROR = inline_serializer("Error", {"detail": s.CharField(help_text=doc("Melding.", "Message."))})


def responses(ok: Any) -> dict[int, Any]:
    return {200: ok, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 429: ERROR}


FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description=doc(
        "csv: de hele tabel als CSV (zonder pagina's), voor Power BI en Excel.",
        "csv: the whole table as CSV (no pages), for Power BI and Excel.",
    ),
)


MAX_ID = 2**63 - 1  # the largest id a database stores; a larger one cannot exist


class IsMember(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return permissions.is_member(request.user)


class IsPartnershipStaff(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return permissions.can_manage_surveys(request.user)


class SchoolFilterSerializer(s.Serializer):
    sector = s.ChoiceField(
        choices=Sector.values,
        required=False,
        help_text=doc("Alleen scholen van deze sector.", "Only schools of this sector."),
    )
    bestuur = s.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=doc("Alleen scholen van dit bestuur.", "Only schools of this board."),
    )
    wijk = s.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=doc("Alleen scholen in deze wijk.", "Only schools in this neighbourhood."),
    )


class ResultFilterSerializer(SchoolFilterSerializer):
    level = s.ChoiceField(
        choices=["city", "sector", "stadsdeel", "wijk", "bestuur", "school"],
        required=False,
        help_text=doc("Alleen rijen van dit niveau.", "Only rows of this level."),
    )
    theme = s.RegexField(
        r"^(norm|[1-9][0-9]{0,9})$",
        required=False,
        help_text=doc(
            "Thema-id, of 'norm' voor de hele norm.", "Theme id, or 'norm' for the whole norm."
        ),
    )


class ApiView(generics.GenericAPIView):
    permission_classes = [IsMember]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if any(isinstance(v, int) and v > MAX_ID for v in kwargs.values()):
            raise NotFound

    def query(self, serializer_class: type[s.Serializer]) -> dict[str, Any]:
        form = serializer_class(data=self.request.query_params)
        form.is_valid(raise_exception=True)
        return dict(form.validated_data)

    def school_filter(self, data: dict[str, Any]) -> selectors.SchoolFilter:
        return selectors.SchoolFilter(
            sector=data.get("sector", ""), bestuur=data.get("bestuur"), wijk=data.get("wijk")
        )


class ListView(ApiView):
    # A table: paged JSON, or the whole table as CSV (`?format=csv` or `Accept: text/csv`).

    def get_renderers(self) -> list[Any]:
        return [*super().get_renderers(), CSVRenderer()]

    def paginate_queryset(self, queryset: Any) -> Any:
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv":
            return None
        return super().paginate_queryset(queryset)

    def rows(self) -> Any:
        raise NotImplementedError

    def to_data(self, item: Any) -> dict[str, Any]:
        return dict(item)

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        items = self.rows()
        page = self.paginate_queryset(items)
        data = [self.to_data(i) for i in (items if page is None else page)]
        serialized = self.get_serializer(data, many=True).data
        if page is None:
            return Response(serialized)
        return self.get_paginated_response(serialized)


# --- rounds ---------------------------------------------------------------------------------


def round_data(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "name": r.name,
        "status": r.status,
        "opens_on": r.opens_on,
        "closes_on": r.closes_on,
        "threshold_percent": r.threshold_percent,
        "min_group_size": r.min_group_size,
        "previous_id": r.previous_id,
        "norm_version_po_id": r.version_po_id,
        "norm_version_vo_id": r.version_vo_id,
        "norm_version_sv_id": r.version_sv_id,
        "schools_invited": r.n_scans,
        "schools_submitted": r.n_submitted,
    }


@extend_schema(
    summary="Meetrondes / rounds",
    parameters=[FORMAT],
    responses=responses(ser.RoundSerializer(many=True)),
)
class RoundList(ListView):
    serializer_class = ser.RoundSerializer

    def rows(self) -> Any:
        return selectors.visible_rounds(self.request.user)

    def to_data(self, item: Any) -> dict[str, Any]:
        return round_data(item)


@extend_schema(summary="Meetronde / round", responses=responses(ser.RoundSerializer))
class RoundDetail(ApiView):
    serializer_class = ser.RoundSerializer

    def get(self, request: Request, pk: int) -> Response:
        round_ = get_object_or_404(selectors.visible_rounds(request.user), pk=pk)
        return Response(self.get_serializer(round_data(round_)).data)


@extend_schema(
    summary="Voortgang van een meetronde / progress of a round",
    parameters=[SchoolFilterSerializer, FORMAT],
    responses=responses(ser.ProgressRowSerializer(many=True)),
)
class ProgressList(ListView):
    serializer_class = ser.ProgressRowSerializer

    def rows(self) -> Any:
        user = self.request.user
        if not permissions.can_view_progress(user):
            raise PermissionDenied
        round_ = get_object_or_404(selectors.visible_rounds(user), pk=self.kwargs["round_id"])
        school_filter = self.school_filter(self.query(SchoolFilterSerializer))
        selectors.check_filter(user, round_, school_filter)
        filters = {"sector": school_filter.sector, "bestuur": school_filter.bestuur}
        filters["wijk"] = school_filter.wijk
        return rounds.progress(user, round_, filters).rows

    def to_data(self, item: Any) -> dict[str, Any]:
        scan = item.scan
        return {
            "round_id": scan.round_id,
            "school_id": scan.school_id,
            "school_name": scan.school.name,
            "vestigingscode": scan.school.vestigingscode,
            "sector": scan.sector,
            "bestuur_id": scan.bestuur_id,
            "wijk_id": scan.wijk_id,
            "status": scan.status,
            "answered": item.answered,
            "total": item.total,
            "percent": item.percent,
            "last_activity_at": scan.last_activity_at,
            "submitted_at": scan.submitted_at,
        }


# --- results --------------------------------------------------------------------------------


@extend_schema(
    summary="Resultaten per school, groep en thema / results per school, group and theme",
    description=doc(
        "De opgeslagen cijfers van de scholen die u mag zien (onder het filter) en van elke "
        "groep waar ze bij horen. Een kleine groep die u niet helemaal mag zien komt zonder "
        "cijfers (suppressed).",
        "The stored figures of the schools you may see (under the filter) and of every group "
        "they belong to. A small group you may not see in full comes without figures.",
    ),
    parameters=[ResultFilterSerializer, FORMAT],
    responses=responses(ser.ResultRowSerializer(many=True)),
)
class ResultList(ListView):
    serializer_class = ser.ResultRowSerializer

    def rows(self) -> Any:
        user = self.request.user
        round_ = selectors.results_round(user, self.kwargs["round_id"])
        data = self.query(ResultFilterSerializer)
        school_filter = self.school_filter(data)
        selectors.check_filter(user, round_, school_filter)
        return selectors.result_rows(
            user, round_, school_filter, level=data.get("level", ""), theme=data.get("theme", "")
        )

    def to_data(self, item: Any) -> dict[str, Any]:
        return {
            "round_id": item.round_id,
            "level": item.level,
            "group_id": item.group_id,
            "group_name": item.group_name,
            "theme_id": item.theme_id,
            "theme_code": item.theme_code,
            **ser.figures(item.row),
            "suppressed": item.suppressed,
            "suppressed_reason": item.suppressed_reason,
        }


def shown(item: results.Shown, name: str = "") -> dict[str, Any]:
    return {
        "name": name or item.label,
        **ser.figures(item.row if item.visible else None),
        "suppressed": item.suppressed,
        "suppressed_reason": item.reason,
    }


@extend_schema(
    summary="Resultaten van één school / results of one school",
    responses=responses(ser.SchoolResultsSerializer),
)
class SchoolResults(ApiView):
    serializer_class = ser.SchoolResultsSerializer

    def get(self, request: Request, round_id: int, school_id: int) -> Response:
        round_ = selectors.results_round(request.user, round_id)
        scan = selectors.scoped_school_scan(request.user, round_, school_id)
        page = results.school_overview(request.user, scan)
        data = {
            "round_id": round_.pk,
            "school_id": scan.school_id,
            "school_name": scan.school.name,
            "submitted": page["submitted"],
            "threshold_percent": round_.threshold_percent,
            "norm": shown(results.Shown(scan.school.name, page["norm_row"])),
            "city": shown(page["city"]),
            "themes": [
                {
                    "theme_id": line.theme.pk,
                    "theme_code": line.theme.code,
                    "theme_title": line.theme.title,
                    "meets_threshold": line.meets,
                    "school": shown(results.Shown(scan.school.name, line.school)),
                    "city": shown(line.city),
                }
                for line in page["lines"]
            ],
        }
        return Response(self.get_serializer(data).data)


@extend_schema(
    summary="Resultaten van een bestuur / results of a board",
    responses=responses(ser.BoardResultsSerializer),
)
class BoardResults(ApiView):
    serializer_class = ser.BoardResultsSerializer

    def get(self, request: Request, round_id: int, bestuur_id: int) -> Response:
        bestuur = selectors.scoped_bestuur(request.user, bestuur_id)
        round_ = selectors.results_round(request.user, round_id)
        page = results.board_dashboard(request.user, round_, bestuur.pk)
        data = {
            "round_id": round_.pk,
            "bestuur_id": bestuur.pk,
            "bestuur_name": bestuur.name,
            "threshold_percent": round_.threshold_percent,
            "bestuur": shown(page["own"], bestuur.name),
            "city": shown(page["city"]),
            "schools": [
                {
                    "school_id": line.school_id,
                    "school_name": line.name,
                    "vestigingscode": line.vestigingscode,
                    "sector": line.sector,
                    **ser.figures(line.norm),
                }
                for line in page["lines"]
            ],
            "themes": [
                {
                    "theme_id": theme.pk,
                    "theme_code": theme.code,
                    "bestuur": shown(mine, bestuur.name),
                    "city": shown(theirs, str(_("Stad"))),
                }
                for theme, mine, theirs in page["beside"]
            ],
        }
        return Response(self.get_serializer(data).data)


# --- norm versions --------------------------------------------------------------------------


def version_data(v: NormVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "norm_key": v.norm.key,
        "norm_name": v.norm.name,
        "label": v.label,
        "title": v.title,
        "status": v.status,
        "adopted_on": v.adopted_on,
        "previous_id": v.previous_id,
        "sectors": list(v.sectors or []),
    }


def statement_data(st: Statement) -> dict[str, Any]:
    return {
        "id": st.pk,
        "code": st.code,
        "concept_key": st.concept_key,
        "text": st.text,
        "sectors": list(st.sectors or []),
        "counts_for_norm": st.counts_for_norm,
        "nvt_allowed": st.nvt_allowed,
        "relation": st.relation,
        "comparable": st.comparable,
        "derived_from": sorted(d.pk for d in st.derived_from.all()),
    }


def versions_for(user: Any) -> Any:
    return permissions.visible_norm_versions(user).select_related("norm").order_by("-loaded_at")


@extend_schema(
    summary="Normversies / norm versions",
    parameters=[FORMAT],
    responses=responses(ser.NormVersionSerializer(many=True)),
)
class NormVersionList(ListView):
    serializer_class = ser.NormVersionSerializer

    def rows(self) -> Any:
        return versions_for(self.request.user)

    def to_data(self, item: Any) -> dict[str, Any]:
        return version_data(item)


@extend_schema(
    summary="Normversie met thema's, stellingen en lijn / norm version with themes, "
    "statements and lineage",
    responses=responses(ser.NormVersionDetailSerializer),
)
class NormVersionDetail(ApiView):
    serializer_class = ser.NormVersionDetailSerializer

    def get(self, request: Request, pk: int) -> Response:
        version = get_object_or_404(versions_for(request.user), pk=pk)
        statements = list(
            version.statements.prefetch_related("derived_from").order_by("theme__order", "order")
        )
        by_theme: dict[int, list[dict[str, Any]]] = {}
        for st in statements:
            by_theme.setdefault(st.theme_id, []).append(statement_data(st))
        data = {
            **version_data(version),
            "scale": [
                {"code": level.code, "label": level.label, "sufficient": level.sufficient}
                for level in version.scale.order_by("order")
            ],
            "themes": [
                {
                    "id": t.pk,
                    "code": t.code,
                    "title": t.title,
                    "order": t.order,
                    "statements": by_theme.get(t.pk, []),
                }
                for t in version.themes.order_by("order")
            ],
        }
        return Response(self.get_serializer(data).data)


@extend_schema(
    summary="Stellingen van een normversie met lijn (tabel) / statements of a norm version "
    "with lineage (table)",
    parameters=[FORMAT],
    responses=responses(ser.StatementRowSerializer(many=True)),
)
class NormVersionStatements(ListView):
    serializer_class = ser.StatementRowSerializer

    def rows(self) -> Any:
        version = get_object_or_404(versions_for(self.request.user), pk=self.kwargs["pk"])
        return (
            version.statements.select_related("theme")
            .prefetch_related("derived_from")
            .order_by("theme__order", "order", "pk")
        )

    def to_data(self, item: Any) -> dict[str, Any]:
        data = statement_data(item)
        return {
            "norm_version_id": item.version_id,
            "theme_id": item.theme_id,
            "theme_code": item.theme.code,
            **data,
            "sectors": " ".join(data["sectors"]),
            "derived_from": " ".join(str(i) for i in data["derived_from"]),
        }


# --- surveys (staff) ------------------------------------------------------------------------


def survey_data(survey: Any, respondents: int) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "title": survey.title,
        "opens_at": survey.opens_at,
        "closes_at": survey.closes_at,
        "respondents": respondents,
    }


@extend_schema(
    summary="Vragenlijsten (medewerkers) / surveys (staff)",
    parameters=[FORMAT],
    responses=responses(ser.SurveySerializer(many=True)),
)
class SurveyList(ListView):
    serializer_class = ser.SurveySerializer
    permission_classes = [IsPartnershipStaff]

    def rows(self) -> Any:
        return surveys.surveys_for_staff().order_by("-created_at", "-pk")

    def to_data(self, item: Any) -> dict[str, Any]:
        return survey_data(item, item.response_count)


def counts(items: Any) -> list[dict[str, Any]]:
    return [{"label": c.label, "count": c.count, "percent": c.percent} for c in items]


@extend_schema(
    summary="Samenvatting van een vragenlijst (medewerkers) / survey summary (staff)",
    responses=responses(ser.SurveySummarySerializer),
)
class SurveySummary(ApiView):
    serializer_class = ser.SurveySummarySerializer
    permission_classes = [IsPartnershipStaff]

    def get(self, request: Request, pk: int) -> Response:
        survey = get_object_or_404(surveys.surveys_for_staff(), pk=pk)
        summary = surveys.survey_summary(survey)
        data = {
            **survey_data(survey, summary.respondents),
            "questions": [
                {
                    "key": q.spec.key,
                    "text": q.spec.text,
                    "kind": q.spec.kind,
                    "respondents": q.respondents,
                    "answered": q.answered,
                    "blanks": q.blanks,
                    "counts": counts(q.counts),
                    "mean": q.stats.mean if q.stats else None,
                    "median": q.stats.median if q.stats else None,
                    "minimum": q.stats.minimum if q.stats else None,
                    "maximum": q.stats.maximum if q.stats else None,
                    "categories": counts(q.categories),
                }
                for q in summary.questions
            ],
        }
        return Response(self.get_serializer(data).data)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, but an object outside one's scope answers the plain 'not found'
    (never the model's name)."""
    from django.http import Http404
    from rest_framework.views import exception_handler as drf_handler

    if isinstance(exc, Http404):
        exc = NotFound()
    return drf_handler(exc, context)
