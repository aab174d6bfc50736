"""Which URL patterns exist, how the crawler fills their arguments from the demo, and the few
patterns it cannot reach with a GET.

A new URL pattern either is reached by the crawl (linked from a page, or a POST form on a
visited page points to it) or needs a line here:
- its keyword arguments are filled by `KWARGS` (by argument name) or `SAMPLES` (by URL name,
  for arguments that must fit together, like a round, a school in it and a theme of its norm);
- or, when no GET can reach it, an entry in `ALLOWLIST` with the reason.
"""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from selfscan.accounts.models import User
from selfscan.exports.models import ExportJob
from selfscan.imports.models import RoundImport
from selfscan.norms.models import NormVersion
from selfscan.organisations.models import Bestuur, RegisterUpload, School, Stadsdeel, Wijk
from selfscan.plans.models import ImprovementAction
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from selfscan.surveys.models import Question, Section, Survey

# Namespaces the coverage guard leaves out, with the reason.
SKIPPED_NAMESPACES = {
    # Django's own admin: its templates and views are Django's and tested by Django; the crawl
    # visits the pages of it that our pages link to, and checks them for server errors only.
    "admin": "Django's admin site",
}

# Route (as `resolve(path).route` spells it) → why no GET or POST form on a page reaches it.
ALLOWLIST: dict[str, str] = {
    "account/sessie-verlengen/": "POST pinged by static/js/session-timeout.js, not a form",
    "zelfscan/<int:pk>/opslaan/": "autosave endpoint: htmx POSTs here from each answer field",
    "i18n/setlang/": "Django's set_language; the language form posts to it",
    "account/inloggen/school/<slug:provider>/": "SSO start: linked only when SSO_PROVIDERS is set "
    "(tests/sso walks it against a real provider)",
    "account/inloggen/school/<slug:provider>/terug/": "SSO callback: the provider redirects here "
    "(tests/sso)",
    "account/api-sleutels/<int:pk>/intrekken/": "POST form beside a token; the demo has none",
    "zelfscan/<int:pk>/team/opslaan/": "autosave of a member's own answers: scan.js POSTs here",
}

Kwargs = dict[str, Any]


def _ids(queryset: Any, n: int = 2) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True)[:n])


def _rounds() -> list[Round]:
    return list(Round.objects.order_by("-opens_on", "pk"))


def _results_samples(theme: bool) -> list[Kwargs]:
    """Per round with scans: a school that submitted and one that did not (if any), and the
    first theme of the school's norm version."""
    samples: list[Kwargs] = []
    for round_ in _rounds():
        scans = Scan.objects.filter(round=round_).order_by("status", "school__vestigingscode")
        picks = [
            scans.filter(status=Scan.Status.SUBMITTED).first(),
            scans.exclude(status=Scan.Status.SUBMITTED).first(),
        ]
        for scan in filter(None, picks):
            kwargs: Kwargs = {"round_id": round_.pk, "school_id": scan.school_id}
            if theme:
                first = scan.norm_version.themes.order_by("order").first()
                if first is None:
                    continue
                kwargs["theme_id"] = first.pk
            samples.append(kwargs)
    return samples


def _scan_steps() -> list[Kwargs]:
    samples = []
    for scan in Scan.objects.exclude(status=Scan.Status.SUBMITTED).order_by("pk")[:1]:
        first = scan.norm_version.themes.order_by("order").first()
        if first is not None:
            samples.append({"pk": scan.pk, "step": first.code})
    return samples


def _versions() -> list[Kwargs]:
    return [
        {"key": v.norm.key, "label": v.label}
        for v in NormVersion.objects.select_related("norm").order_by("-pk")[:2]
    ]


def _survey_tokens() -> list[Kwargs]:
    return [{"token": t} for t in Survey.objects.values_list("public_token", flat=True)[:1]]


def _survey_children(model: Any, kwarg: str) -> list[Kwargs]:
    return [
        {"pk": survey_id, kwarg: pk}
        for pk, survey_id in model.objects.order_by("pk").values_list("pk", "survey_id")[:1]
    ]


def _plan_themes() -> list[Kwargs]:
    """Per round the theme page of the first action (if any), and an untouched scan's first
    theme (the panel of last year's actions without actions of its own)."""
    samples: list[Kwargs] = []
    for round_ in _rounds():
        action = (
            ImprovementAction.objects.filter(scan__round=round_)
            .order_by("scan__school__vestigingscode", "pk")
            .first()
        )
        if action is not None:
            samples.append({"scan_id": action.scan_id, "theme_id": action.theme_id})
    scan = Scan.objects.filter(improvement_actions=None).order_by("-round__opens_on", "pk").first()
    first = scan.norm_version.themes.order_by("order").first() if scan else None
    if scan is not None and first is not None:
        samples.append({"scan_id": scan.pk, "theme_id": first.pk})
    return samples


# URL name → the keyword arguments to visit it with (a list: one URL each).
def _team_members() -> list[Kwargs]:
    """A scan and a member of its school's team (the progress page's "invite again")."""
    samples: list[Kwargs] = []
    for scan in Scan.objects.order_by("pk"):
        member = scan.school.members.order_by("pk").first()
        if member is not None:
            samples.append({"pk": scan.pk, "user_pk": member.pk})
        if len(samples) == 2:
            break
    return samples


def _perspective_steps() -> list[Kwargs]:
    """A scan whose team answers on their own (the demo's), at its first theme."""
    from selfscan.perspectives.models import TeamPerspective

    samples: list[Kwargs] = []
    for perspective in TeamPerspective.objects.select_related("scan").order_by("pk")[:1]:
        first = perspective.scan.norm_version.themes.order_by("order", "pk").first()
        if first is not None:
            samples.append({"pk": perspective.scan_id, "step": first.code})
    return samples


SAMPLES: dict[str, Callable[[], list[Kwargs]]] = {
    "results:school_overview": lambda: _results_samples(theme=False),
    "results:themakaart": lambda: _results_samples(theme=True),
    "results:themakaart_pdf": lambda: _results_samples(theme=True)[:1],
    "results:school_report": lambda: _results_samples(theme=False),
    "results:school_report_pdf": lambda: _results_samples(theme=False)[:1],
    "results:board_dashboard": lambda: [
        {"round_id": r, "bestuur_id": b}
        for r in _ids(Round.objects.all(), 3)
        for b in _ids(Bestuur.objects.all(), 1)
    ],
    "results:board_threshold_explorer": lambda: [
        {"round_id": r, "bestuur_id": b}
        for r in _ids(Round.objects.all(), 1)
        for b in _ids(Bestuur.objects.all(), 1)
    ],
    "results:annual_report_pdf": lambda: [
        {"round_id": r.pk} for r in _rounds() if r.status == Round.Status.PUBLISHED
    ][:1],
    "results:annual_report_xlsx": lambda: [
        {"round_id": r.pk} for r in _rounds() if r.status == Round.Status.PUBLISHED
    ][:1],
    "scans:step": _scan_steps,
    "perspectives:team": lambda: [{"pk": s["pk"]} for s in _perspective_steps()],
    "perspectives:resume": lambda: [{"pk": s["pk"]} for s in _perspective_steps()],
    "perspectives:start": lambda: [{"pk": s["pk"]} for s in _perspective_steps()],
    "perspectives:finish": lambda: [{"pk": s["pk"]} for s in _perspective_steps()],
    "perspectives:step": lambda: _perspective_steps(),
    "perspectives:compare": lambda: _perspective_steps(),
    "perspectives:spread": lambda: [
        {"round_pk": pk} for pk in _ids(Round.objects.filter(team_perspectives=True), 2)
    ],
    "norms:version": _versions,
    "norms:changes": _versions,
    "imports:example": lambda: [
        {"version_pk": pk, "layout": layout, "fmt": "csv"}
        for pk in _ids(NormVersion.objects.all(), 1)
        for layout in ("breed", "lang")
    ],
    "surveys:answer": lambda: _survey_tokens(),
    "surveys:thanks": lambda: _survey_tokens(),
    "surveys:export_summary": lambda: [
        {"pk": pk, "fmt": fmt} for pk in _ids(Survey.objects.all(), 1) for fmt in ("csv", "xlsx")
    ],
    "surveys:export_responses": lambda: [
        {"pk": pk, "fmt": fmt} for pk in _ids(Survey.objects.all(), 1) for fmt in ("csv", "xlsx")
    ],
    "surveys:export_breakdown": lambda: [
        {"pk": pk, "fmt": fmt} for pk in _ids(Survey.objects.all(), 1) for fmt in ("csv", "xlsx")
    ],
    "surveys:section_edit": lambda: _survey_children(Section, "section_pk"),
    "surveys:section_move": lambda: _survey_children(Section, "section_pk"),
    "surveys:section_delete": lambda: _survey_children(Section, "section_pk"),
    "surveys:question_edit": lambda: _survey_children(Question, "question_pk"),
    "surveys:question_move": lambda: _survey_children(Question, "question_pk"),
    "surveys:question_delete": lambda: _survey_children(Question, "question_pk"),
    "surveys:coding": lambda: _survey_children(Question, "question_pk"),
    "rounds:progress_export": lambda: [
        {"pk": pk, "file_format": fmt}
        for pk in _ids(Round.objects.exclude(scans=None), 1)
        for fmt in ("csv", "xlsx")
    ],
    "rounds:reinvite_member": _team_members,
    "api:school_results": lambda: _results_samples(theme=False),
    "api:board_results": lambda: [
        {"round_id": r, "bestuur_id": b}
        for r in _ids(Round.objects.all(), 2)
        for b in _ids(Bestuur.objects.all(), 1)
    ],
    "api:round_detail": lambda: [{"pk": pk} for pk in _ids(Round.objects.all(), 2)],
    "api:normversion_detail": lambda: [{"pk": pk} for pk in _ids(NormVersion.objects.all(), 2)],
    "api:normversion_statements": lambda: [{"pk": pk} for pk in _ids(NormVersion.objects.all(), 1)],
    "api:survey_summary": lambda: [{"pk": pk} for pk in _ids(Survey.objects.all(), 1)],
    "plans:theme": _plan_themes,
    "plans:add": lambda: _plan_themes()[:1],  # a POST form; the GET answers 405
    "plans:school": lambda: [
        {"school_id": pk}
        for pk in _ids(School.objects.filter(scans__improvement_actions__isnull=False).distinct())
    ],
    "plans:board": lambda: [{"bestuur_id": b} for b in _ids(Bestuur.objects.all(), 1)],
    # Tokens from e-mails are made by the state (see states.py) and kept on the demo object.
}

# <pk> means a different model per namespace or URL name (URL name wins).
PK_MODELS: dict[str, Any] = {
    "accounts": User,
    "organisations:school_detail": School,
    "organisations:school_edit": School,
    "organisations:bestuur_detail": Bestuur,
    "organisations:bestuur_edit": Bestuur,
    "organisations:wijk_edit": Wijk,
    "organisations:stadsdeel_edit": Stadsdeel,
    "organisations:import_job": RegisterUpload,
    "organisations:import_retry": RegisterUpload,
    "rounds": Round,
    "rounds:reopen_scan": Scan,
    "scans": Scan,
    "surveys": Survey,
    "exports": ExportJob,
    "imports": RoundImport,
    "plans:edit": ImprovementAction,  # a POST form; the GET answers 405
    "plans:delete": ImprovementAction,  # GET: the confirmation page (deletes nothing)
}

# Other argument names → their demo values.
KWARGS: dict[str, Callable[[], list[Any]]] = {
    "round_id": lambda: [r.pk for r in _rounds()],
}


def pk_values(name: str) -> list[int] | None:
    model = PK_MODELS.get(name) or PK_MODELS.get(name.split(":")[0])
    if model is None:
        return None
    if model is Round:
        return [r.pk for r in _rounds()]
    if model is Scan:
        # one scan per status, so that submitted, in-progress and untouched scans are seen
        return [
            pk
            for status in Scan.Status.values
            for pk in _ids(Scan.objects.filter(status=status), 1)
        ]
    return _ids(model.objects.all())


def kwargs_for(name: str, params: list[str], extra: dict[str, list[Kwargs]]) -> list[Kwargs] | None:
    """The argument sets to visit URL `name` with; None when the crawler cannot fill them."""
    if name in extra:
        return extra[name]
    if name in SAMPLES:
        return SAMPLES[name]()
    values: dict[str, list[Any]] = {}
    for param in params:
        found = pk_values(name) if param == "pk" else KWARGS[param]() if param in KWARGS else None
        if not found:
            return None
        values[param] = found
    width = max((len(v) for v in values.values()), default=1)
    return [{k: v[min(i, len(v) - 1)] for k, v in values.items()} for i in range(width)]


def _join(route1: str, route2: str) -> str:
    """As Django's URLResolver._join_route, which builds ResolverMatch.route."""
    if not route1:
        return route2
    return route1 + route2.removeprefix("^")


def all_routes() -> dict[str, tuple[str, list[str]]]:
    """Every URL pattern outside the skipped namespaces: route → (URL name, argument names)."""
    found: dict[str, tuple[str, list[str]]] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = _join(prefix, str(pattern.pattern))
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                name = ":".join(filter(None, [namespace, pattern.name or ""]))
                found[route] = (name, list(pattern.pattern.regex.groupindex))

    walk(get_resolver().url_patterns, "", "")
    return found
