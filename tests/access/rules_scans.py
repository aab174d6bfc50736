from tests.access.matrix import Rule, only
from tests.scans.factories import first_statement_id, world_scan


def own(status: int) -> dict[str, int]:
    """The school's own scan: its team gets `status`, another school's team 404, others 403."""
    return only({"school": status, "other_school": 404})


def scan_pk(w):
    return {"pk": world_scan(w).pk}


RULES = [
    Rule("scans:mine", only({"school": 200, "other_school": 200})),
    Rule("scans:overview", own(200), kwargs=scan_pk),
    Rule("scans:wizard", own(302), kwargs=scan_pk),
    Rule("scans:step", own(200), kwargs=lambda w: {"pk": world_scan(w).pk, "step": "T01"}),
    Rule(
        "scans:save",
        own(200),
        kwargs=scan_pk,
        method="post",
        data=lambda w: {"statement": first_statement_id(world_scan(w)), "value": "3", "version": 0},
    ),
    Rule("scans:review", own(200), kwargs=scan_pk),
    # incomplete: back to the review page with the message
    Rule("scans:submit", own(302), kwargs=scan_pk, method="post"),
    Rule("scans:history", own(200), kwargs=scan_pk),
]
