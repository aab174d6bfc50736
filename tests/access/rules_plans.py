"""Improvement actions (issue 15; docs/decisions/0185): whoever sees a school reads its actions,
its own team changes them, board staff and partnership staff see a bestuur's counts."""

from selfscan.plans.models import ImprovementAction
from tests.access.matrix import ANONYMOUS, LOGIN, Rule, only
from tests.results.world import world_round, world_theme

OWN_SCHOOL = {
    ANONYMOUS: LOGIN,
    "school": 200,
    "other_school": 404,
    "board": 200,
    "other_board": 404,
    "adviser": 200,
    "staff": 200,
    "admin": 200,
}
# changes: the school's own team (302 back to the page), another school's team 404, others 403
TEAM_ONLY = only({"school": 302, "other_school": 404})


def _scan(w):
    return world_round(w).scans.get(school=w.school_a1)


def _scan_theme(w):
    return {"scan_id": _scan(w).pk, "theme_id": world_theme(w).pk}


def _action(w):
    action = ImprovementAction.objects.create(scan=_scan(w), theme=world_theme(w), what="Actie")
    return {"pk": action.pk}


RULES = [
    Rule(
        "plans:index",
        {
            ANONYMOUS: LOGIN,
            "school": 302,  # one school: straight to its overview
            "other_school": 302,
            "board": 200,
            "other_board": 200,
            "adviser": 200,
            "staff": 200,
            "admin": 200,
        },
    ),
    Rule("plans:theme", OWN_SCHOOL, kwargs=_scan_theme),
    Rule(
        "plans:add",
        TEAM_ONLY,
        kwargs=_scan_theme,
        method="post",
        data=lambda w: {"what": "Scholing", "status": "gepland"},
    ),
    Rule(
        "plans:edit",
        TEAM_ONLY,
        kwargs=_action,
        method="post",
        data=lambda w: {"what": "Scholing", "status": "bezig", "version": 1},
    ),
    # the confirmation page, then the delete itself (302 back)
    Rule("plans:delete", only({"school": 200, "other_school": 404}), kwargs=_action),
    Rule(
        "plans:delete",
        TEAM_ONLY,
        kwargs=_action,
        method="post",
        data=lambda w: {"version": 1},
    ),
    Rule("plans:school", OWN_SCHOOL, kwargs=lambda w: {"school_id": w.school_a1.pk}),
    Rule(
        "plans:board",
        only({"board": 200, "other_board": 404, "staff": 200, "admin": 200}),
        kwargs=lambda w: {"bestuur_id": w.bestuur_a.pk},
    ),
]
