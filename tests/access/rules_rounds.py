from tests.access.matrix import Rule, only, staff_only
from tests.scans.factories import world_draft_round, world_round, world_scan

BOARDS_AND_STAFF = {"board": 200, "other_board": 200, "staff": 200, "admin": 200}


def round_pk(w):
    return {"pk": world_round(w).pk}


def scan_pk(w):
    return {"pk": world_scan(w).pk}


def draft_pk(w):
    return {"pk": world_draft_round(w).pk}


RULES = [
    Rule("rounds:list", only(BOARDS_AND_STAFF)),
    Rule(
        "rounds:latest_progress",
        only({"board": 302, "other_board": 302, "staff": 302, "admin": 302}),
        kwargs=lambda w: (world_round(w), {})[1],
    ),
    Rule("rounds:create", staff_only(200)),
    Rule("rounds:detail", staff_only(200), kwargs=round_pk),
    Rule("rounds:edit", staff_only(200), kwargs=draft_pk),
    Rule("rounds:open", staff_only(302), kwargs=draft_pk, method="post"),
    Rule("rounds:close", staff_only(302), kwargs=round_pk, method="post"),
    Rule("rounds:publish", staff_only(302), kwargs=round_pk, method="post"),
    Rule("rounds:reopen", staff_only(302), kwargs=round_pk, method="post"),
    Rule(
        "rounds:extend",
        staff_only(302),
        kwargs=round_pk,
        method="post",
        data=lambda w: {"closes_on": "2099-01-01"},
    ),
    # reminders: a confirmation page (GET), then the send (POST); for the round or one school
    Rule("rounds:remind", staff_only(200), kwargs=round_pk),
    Rule("rounds:remind", staff_only(302), kwargs=round_pk, method="post"),
    Rule("rounds:remind_school", staff_only(200), kwargs=scan_pk),
    Rule("rounds:remind_school", staff_only(302), kwargs=scan_pk, method="post"),
    # contact people: invite from the progress page, the list with e-mail addresses as a file
    Rule("rounds:invite_contact", staff_only(302), kwargs=scan_pk, method="post"),
    Rule(
        "rounds:reinvite_member",
        staff_only(302),
        kwargs=lambda w: {"pk": world_scan(w).pk, "user_pk": w.user("school").pk},
        method="post",
    ),
    Rule(
        "rounds:progress_export",
        staff_only(200),
        kwargs=lambda w: {"pk": world_round(w).pk, "file_format": "csv"},
    ),
    # board staff see the progress of their own schools (an empty list for another board)
    Rule("rounds:progress", only(BOARDS_AND_STAFF), kwargs=round_pk),
    Rule("rounds:reopen_scan", staff_only(200), kwargs=lambda w: {"pk": world_scan(w).pk}),
]
