from selfscan.organisations import jobs as register_jobs
from tests.access.matrix import Rule, only, staff_only
from tests.organisations.duo import Row, duo_file


def _school(name):
    return lambda w: {"pk": getattr(w, name).pk}


def _register_upload(w):
    """A register file dry-run (as the worker would) for the world's "staff" user."""
    upload = register_jobs.start_check(
        user=w.user("staff"),
        content=duo_file([Row(bestuur="41002", code="70AQ00", name="Matrix")]),
        file_name="matrix.csv",
        close_missing=False,
    )
    register_jobs.run_check(upload.pk)
    return {"pk": upload.pk}


# A register file's dry run belongs to the staff member who uploaded it: another staff member
# (here "admin") gets 404.
UPLOADER_ONLY = {**only({"staff": 200}), "admin": 404}

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
    Rule("organisations:import_job", UPLOADER_ONLY, kwargs=_register_upload),
    # "Opnieuw proberen": a dry run that is not failed is not started again (302 back).
    Rule(
        "organisations:import_retry",
        {**UPLOADER_ONLY, "staff": 302},
        kwargs=_register_upload,
        method="post",
        data=lambda w: {},
    ),
    Rule("organisations:import_retry", staff_only(405), kwargs=_register_upload),
]

RULES += [
    Rule("organisations:area_list", staff_only()),
    Rule("organisations:wijk_create", staff_only()),
    Rule("organisations:wijk_edit", staff_only(), kwargs=lambda w: {"pk": w.wijk_a.pk}),
    Rule("organisations:stadsdeel_create", staff_only()),
    Rule("organisations:stadsdeel_edit", staff_only(), kwargs=lambda w: {"pk": w.stadsdeel.pk}),
]
