from selfscan.imports.models import RoundImport
from tests.access.matrix import Rule, only, staff_only
from tests.imports.helpers import applied_import, checked_import, example_kwargs

# A dry run and its confirmation belong to the staff member who uploaded the file (the world's
# "staff" user): another staff member (here "admin") gets 404, as for someone else's export.
UPLOADER_ONLY = {**only({"staff": 200}), "admin": 404}

RULES = [
    Rule("imports:start", staff_only(200)),
    Rule("imports:detail", UPLOADER_ONLY, kwargs=lambda w: {"pk": checked_import(w).pk}),
    Rule(
        "imports:detail",
        staff_only(200),
        kwargs=lambda w: {"pk": applied_import(w).pk},
        note="an applied import is the round's history: every staff member sees it",
    ),
    # Confirming starts the import in the background and redirects to the job's page.
    Rule(
        "imports:apply",
        {**UPLOADER_ONLY, "staff": 302},
        kwargs=lambda w: {"pk": checked_import(w).pk},
        method="post",
        data=lambda w: {"sha256": RoundImport.objects.latest("id").sha256},
    ),
    # "Opnieuw proberen" for a dry run or import that could not start: the uploader only.
    Rule(
        "imports:retry",
        {**UPLOADER_ONLY, "staff": 302},
        kwargs=lambda w: {"pk": checked_import(w).pk},
        method="post",
        data=lambda w: {},
    ),
    Rule("imports:example", staff_only(200), kwargs=example_kwargs),
]
