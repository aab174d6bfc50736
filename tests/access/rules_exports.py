from selfscan.exports.models import ExportJob
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


ONLY_REQUESTER = {
    ANONYMOUS: LOGIN,
    "school": 200,
    "other_school": 404,
    "board": 404,
    "other_board": 404,
    "adviser": 403,
    "staff": 404,
    "admin": 404,
}

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
        only({**dict.fromkeys([*EXPORTERS, "staff", "admin"], 405)}),
        kwargs=_job,
        note="only a POST starts a job again",
    ),
]
