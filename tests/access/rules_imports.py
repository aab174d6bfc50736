from selfscan.imports.models import RoundImport
from tests.access.matrix import Rule, staff_only
from tests.imports.helpers import checked_import, example_kwargs

RULES = [
    Rule("imports:start", staff_only(200)),
    Rule("imports:detail", staff_only(200), kwargs=lambda w: {"pk": checked_import(w).pk}),
    # Confirming applies the checked file and redirects to its page.
    Rule(
        "imports:apply",
        staff_only(302),
        kwargs=lambda w: {"pk": checked_import(w).pk},
        method="post",
        data=lambda w: {"sha256": RoundImport.objects.latest("id").sha256},
    ),
    Rule("imports:example", staff_only(200), kwargs=example_kwargs),
]
