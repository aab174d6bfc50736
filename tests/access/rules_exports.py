from selfscan.exports.models import SCHOOL_REPORT, ExportJob
from tests.access.matrix import ANONYMOUS, LOGIN, Rule, only
from tests.results.world import world_round

EXPORTERS = {"school": 200, "other_school": 200, "board": 200, "other_board": 200}


def _job(w, status=ExportJob.Status.DONE):
    """A finished export of the "school" user: nobody else may see or download it."""
    job, _ = ExportJob.objects.get_or_create(
        requested_by=w.user("school"),
        round=world_round(w),
        kind="scholen",
        file_format="csv",
        defaults={"status": status, "file_name": "x.csv", "content": b"a;b\r\n", "progress": 100},
    )
    return {"pk": job.pk}


def _report_job(w):
    """A finished school report PDF of the adviser (who may not export, but may see school_a1
    in their wijk and have its report made: decision 0232): nobody else may see or download it."""
    round_ = world_round(w)
    job, _ = ExportJob.objects.get_or_create(
        requested_by=w.user("adviser"),
        round=round_,
        kind=SCHOOL_REPORT,
        file_format="pdf",
        scan=round_.scans.get(school=w.school_a1),
        language="nl",
        defaults={
            "status": ExportJob.Status.DONE,
            "file_name": "schoolrapport.pdf",
            "content": b"%PDF-1.7",
            "progress": 100,
        },
    )
    return {"pk": job.pk}


# A job page belongs to its requester; any other member gets a 404 (not a 403: the pages are
# open to every member, since an adviser has school report jobs of their own).
ONLY_REQUESTER = {
    ANONYMOUS: LOGIN,
    "school": 200,
    "other_school": 404,
    "board": 404,
    "other_board": 404,
    "adviser": 404,
    "staff": 404,
    "admin": 404,
}
ONLY_ADVISER = {**dict.fromkeys(ONLY_REQUESTER, 404), ANONYMOUS: LOGIN, "adviser": 200}

RULES = [
    Rule("exports:index", only({**EXPORTERS, "staff": 200, "admin": 200})),
    Rule(
        "exports:index",
        only({**EXPORTERS, "staff": 200, "admin": 200}),
        method="post",
        data=lambda w: {"round": world_round(w).pk, "kind": "scholen", "file_format": "csv"},
        note="a small export downloads at once",
    ),
    Rule("exports:job", ONLY_REQUESTER, kwargs=_job),
    Rule("exports:job_download", ONLY_REQUESTER, kwargs=_job),
    Rule("exports:job", ONLY_ADVISER, kwargs=_report_job, note="a school report PDF job"),
    Rule("exports:job_download", ONLY_ADVISER, kwargs=_report_job, note="a school report PDF"),
    # "Opnieuw proberen" on the job page: a POST that redirects back to it (a finished job is
    # left as it is, with a message).
    Rule(
        "exports:job_retry",
        {**ONLY_REQUESTER, "school": 302},
        kwargs=_job,
        method="post",
        data=lambda w: {},
    ),
    Rule(
        "exports:job_retry",
        only({**dict.fromkeys([*EXPORTERS, "adviser", "staff", "admin"], 405)}),
        kwargs=_job,
        note="only a POST starts a job again",
    ),
]
