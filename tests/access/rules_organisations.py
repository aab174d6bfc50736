from tests.access.matrix import Rule, only, staff_only


def _school(name):
    return lambda w: {"pk": getattr(w, name).pk}


RULES = [
    Rule("organisations:school_list", staff_only()),
    Rule("organisations:school_create", staff_only()),
    # A school's register page: its own team, its board, an adviser of its wijk, and staff.
    Rule(
        "organisations:school_detail",
        only(
            {"school": 200, "board": 200, "adviser": 200, "staff": 200, "admin": 200},
            denied=404,
        ),
        kwargs=_school("school_a1"),
    ),
    # Another school's page: 404 for the first school's team, board and adviser.
    Rule(
        "organisations:school_detail",
        only({"other_school": 200, "other_board": 200, "staff": 200, "admin": 200}, denied=404),
        kwargs=_school("school_b1"),
        note="another school and board",
    ),
    Rule("organisations:school_edit", staff_only(), kwargs=_school("school_a1")),
    Rule("organisations:bestuur_list", staff_only()),
    Rule("organisations:bestuur_create", staff_only()),
    Rule(
        "organisations:bestuur_detail",
        only({"board": 200, "staff": 200, "admin": 200}, denied=404),
        kwargs=lambda w: {"pk": w.bestuur_a.pk},
    ),
    Rule(
        "organisations:bestuur_detail",
        only({"other_board": 200, "staff": 200, "admin": 200}, denied=404),
        kwargs=lambda w: {"pk": w.bestuur_b.pk},
        note="another board",
    ),
    Rule("organisations:bestuur_edit", staff_only(), kwargs=lambda w: {"pk": w.bestuur_a.pk}),
    Rule("organisations:import", staff_only()),
    # Without a waiting dry run of their own, applying sends staff back to the upload page.
    Rule(
        "organisations:import_apply", staff_only(302), method="post", data=lambda w: {"digest": "x"}
    ),
    Rule("organisations:import_apply", staff_only(405)),
    Rule("organisations:import_template", staff_only()),
]

RULES += [
    Rule("organisations:area_list", staff_only()),
    Rule("organisations:wijk_create", staff_only()),
    Rule("organisations:wijk_edit", staff_only(), kwargs=lambda w: {"pk": w.wijk_a.pk}),
    Rule("organisations:stadsdeel_create", staff_only()),
    Rule("organisations:stadsdeel_edit", staff_only(), kwargs=lambda w: {"pk": w.stadsdeel.pk}),
]
