from tests.access.matrix import Rule, only
from tests.perspectives.factories import world_team_round, world_team_scan
from tests.scans.factories import first_statement_id


def own(status: int) -> dict[str, int]:
    """Individual answers and the team's names: the school's own team only; another school's
    team 404; staff, boards and advisers 403 (they never see one person's answer)."""
    return only({"school": status, "other_school": 404})


def scan_pk(w):
    return {"pk": world_team_scan(w).pk}


def theme(w):
    return {"pk": world_team_scan(w).pk, "step": "T01"}


SPREAD = only({"board": 200, "other_board": 200, "staff": 200, "admin": 200})

RULES = [
    Rule("perspectives:team", own(200), kwargs=scan_pk),
    Rule(
        "perspectives:start",
        own(302),
        kwargs=scan_pk,
        method="post",
        data=lambda w: {"function": "ib"},
    ),
    Rule("perspectives:resume", own(302), kwargs=scan_pk),
    Rule("perspectives:step", own(200), kwargs=theme),
    Rule(
        "perspectives:save",
        own(200),
        kwargs=scan_pk,
        method="post",
        data=lambda w: {
            "statement": first_statement_id(world_team_scan(w)),
            "value": "3",
            "version": 0,
        },
    ),
    # incomplete: back to the team page with the message
    Rule("perspectives:finish", own(302), kwargs=scan_pk, method="post"),
    Rule("perspectives:compare", own(200), kwargs=theme),
    # the plain wizard of a perspectives round leads to the comparison (docs/decisions/0250)
    Rule("scans:wizard", own(302), kwargs=scan_pk, note="team perspectives round"),
    Rule("scans:step", own(302), kwargs=theme, note="team perspectives round"),
    Rule("perspectives:spread_index", SPREAD),
    Rule("perspectives:spread", SPREAD, kwargs=lambda w: {"round_pk": world_team_round(w).pk}),
]
