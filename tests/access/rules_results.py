from selfscan.rounds.models import Round
from tests.access.matrix import ANONYMOUS, LOGIN, Rule, logged_in, only, staff_only
from tests.results.factories import make_round, make_scan
from tests.results.world import world_round, world_theme


def _published(w):
    """A published copy of the world round (the annual report is for published rounds)."""
    name = "Wereldronde (gepubliceerd)"
    round_ = Round.objects.filter(name=name).first()
    if round_ is None:
        version = world_round(w).version_po
        round_ = make_round(version, name=name, status=Round.Status.PUBLISHED)
        for school in (w.school_a1, w.school_a2, w.school_b1):
            make_scan(round_, school, {s.code: "3" for s in version.statements.all()})
    return {"round_id": round_.pk}


def _school(w, school):
    return {"round_id": world_round(w).pk, "school_id": school.pk}


def _theme(w, school):
    return {**_school(w, school), "theme_id": world_theme(w).pk}


# school_a1: the "school" user's own school, in bestuur_a (the "board") and wijk_a (the adviser's).
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

RULES = [
    Rule("results:index", logged_in(200)),
    Rule("results:school_overview", OWN_SCHOOL, kwargs=lambda w: _school(w, w.school_a1)),
    Rule("results:themakaart", OWN_SCHOOL, kwargs=lambda w: _theme(w, w.school_a1)),
    Rule("results:themakaart_pdf", OWN_SCHOOL, kwargs=lambda w: _theme(w, w.school_a1)),
    Rule("results:school_report", OWN_SCHOOL, kwargs=lambda w: _school(w, w.school_a1)),
    # The PDF is made by an export job (decision 0232): a GET (an old bookmark) leads to the
    # report page, the report's "PDF maken" POST starts the job and goes to its page.
    Rule(
        "results:school_report_pdf",
        {k: 302 if v == 200 else v for k, v in OWN_SCHOOL.items()},
        kwargs=lambda w: _school(w, w.school_a1),
        note="a GET redirects to the report page and starts nothing",
    ),
    Rule(
        "results:school_report_pdf",
        {k: 302 if v == 200 else v for k, v in OWN_SCHOOL.items()},
        kwargs=lambda w: _school(w, w.school_a1),
        method="post",
        data=lambda w: {},
        note="PDF maken: starts (or finds) the job, then its page",
    ),
    Rule(
        "results:board_dashboard",
        only({"board": 200, "other_board": 404, "staff": 200, "admin": 200}),
        kwargs=lambda w: {"round_id": world_round(w).pk, "bestuur_id": w.bestuur_a.pk},
    ),
    Rule(
        "results:city_dashboard",
        staff_only(200),
        kwargs=lambda w: {"round_id": world_round(w).pk},
    ),
    Rule(
        "results:threshold_explorer",
        staff_only(200),
        kwargs=lambda w: {"round_id": world_round(w).pk},
    ),
    Rule(
        "results:board_threshold_explorer",
        only({"board": 200, "other_board": 404, "staff": 200, "admin": 200}),
        kwargs=lambda w: {"round_id": world_round(w).pk, "bestuur_id": w.bestuur_a.pk},
    ),
    Rule("results:annual_report_pdf", staff_only(200), kwargs=_published),
    Rule("results:annual_report_xlsx", staff_only(200), kwargs=_published),
    Rule(
        "results:city_dashboard_xlsx",
        staff_only(200),
        kwargs=lambda w: {"round_id": world_round(w).pk},
    ),
]
