"""The API (/api/v1/) and the API-token pages. Anonymous callers of the API get 401 (no token),
not the login page; a session works as well as a token (tests/api/ checks the token)."""

from tests.access.matrix import ANONYMOUS, LOGIN, ROLES, Rule, everyone, logged_in
from tests.results.world import world_round
from tests.surveys.factories import make_survey

NO_TOKEN = 401


def api(allowed: dict[str, int], denied: int = 403) -> dict[str, int]:
    expect = {ANONYMOUS: NO_TOKEN, **dict.fromkeys(ROLES, denied)}
    expect.update(allowed)
    return expect


def api_everyone(status: int = 200) -> dict[str, int]:
    return api(dict.fromkeys(ROLES, status))


STAFF = {"staff": 200, "admin": 200}
# school_a1: the "school" user's school, in bestuur_a (the "board") and wijk_a (the adviser's).
OWN_SCHOOL = api({"school": 200, "board": 200, "adviser": 200, **STAFF}, denied=404)


def _round(w):
    return {"round_id": world_round(w).pk}


def _survey(w):
    return {"pk": make_survey().pk}


RULES = [
    Rule("api:schema", everyone(200)),
    Rule("api:docs", everyone(200)),
    Rule("api:round_list", api_everyone()),
    Rule("api:round_detail", api_everyone(), kwargs=lambda w: {"pk": world_round(w).pk}),
    Rule("api:round_detail", api_everyone(404), kwargs=lambda w: {"pk": 999_999}),
    # Progress: staff everything, board staff their own schools (the list is scoped).
    Rule("api:round_progress", api({"board": 200, "other_board": 200, **STAFF}), kwargs=_round),
    Rule(
        "api:round_progress",
        api({"board": 200, "other_board": 404, **STAFF}),
        kwargs=_round,
        data=lambda w: {"bestuur": w.bestuur_a.pk},
        note="filtered by another board's id",
    ),
    Rule("api:result_list", api_everyone(), kwargs=_round),
    Rule(
        "api:result_list",
        api({"board": 200, "school": 200, "adviser": 200, **STAFF}, denied=404),
        kwargs=_round,
        data=lambda w: {"bestuur": w.bestuur_a.pk},
        note="filtered by bestuur_a: outside one's schools answers 404",
    ),
    Rule(
        "api:result_list",
        api_everyone(400),
        kwargs=_round,
        data=lambda w: {"sector": "XX"},
        note="a filter value that is not a sector",
    ),
    Rule(
        "api:school_results",
        OWN_SCHOOL,
        kwargs=lambda w: {**_round(w), "school_id": w.school_a1.pk},
    ),
    Rule(
        "api:board_results",
        api({"board": 200, "other_board": 404, **STAFF}),
        kwargs=lambda w: {**_round(w), "bestuur_id": w.bestuur_a.pk},
    ),
    Rule("api:normversion_list", api_everyone()),
    Rule(
        "api:normversion_detail",
        api_everyone(),
        kwargs=lambda w: {"pk": world_round(w).version_po_id},
    ),
    Rule(
        "api:normversion_statements",
        api_everyone(),
        kwargs=lambda w: {"pk": world_round(w).version_po_id},
    ),
    Rule("api:normversion_statements", api_everyone(404), kwargs=lambda w: {"pk": 999_999}),
    Rule("api:survey_list", api(STAFF)),
    Rule("api:survey_summary", api(STAFF), kwargs=_survey),
    Rule("api_tokens:list", logged_in(200)),
    Rule(
        "api_tokens:list",
        {ANONYMOUS: LOGIN, **dict.fromkeys(ROLES, 400)},
        method="post",
        note="an empty form: the Dutch message, nothing made",
    ),
    Rule(
        "api_tokens:revoke",
        {ANONYMOUS: LOGIN, **dict.fromkeys(ROLES, 404)},
        method="post",
        kwargs=lambda w: {"pk": 999_999},
        note="a token that is not one's own answers 404",
    ),
    Rule("api_tokens:revoke", logged_in(405), kwargs=lambda w: {"pk": 1}),
]
