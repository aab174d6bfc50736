"""Norms: every logged-in user reads the published versions; only partnership staff see concept
versions (others get 404, as for any object outside their scope) and upload and publish."""

from typing import Any

from tests.access.matrix import ANONYMOUS, LOGIN, ROLES, Rule, logged_in, only, staff_only


def _versions(world: Any) -> dict[str, str]:
    """Load the small test norm (versions 1 and 2); loading again changes nothing."""
    from selfscan.norms.services import load_norm_files
    from tests.norms.samples import V1, V2, source

    report = load_norm_files([source(V1, "v1.yaml"), source(V2, "v2.yaml")])
    assert report.errors == []
    return {"key": "testnorm", "label": "2"}


def _first_version(world: Any) -> dict[str, str]:
    _versions(world)
    return {"key": "testnorm", "label": "1"}


def _concept_version(world: Any) -> dict[str, str]:
    """A concept version 2 of a second small norm (its version 1 is published)."""
    from selfscan.norms.services import load_norm_files
    from tests.norms.samples import V1, V2, as_concept, source

    first = V1.replace("norm: testnorm", "norm: conceptnorm")
    second = as_concept(V2.replace("norm: testnorm", "norm: conceptnorm"))
    report = load_norm_files([source(first, "c1.yaml"), source(second, "c2.yaml")])
    assert report.errors == []
    return {"key": "conceptnorm", "label": "2"}


# Concept versions: staff and administrators read them, everyone else gets 404.
STAFF_ELSE_404 = only({"staff": 200, "admin": 200}, denied=404)

STAFF_POST_ONLY = {
    ANONYMOUS: LOGIN,
    **dict.fromkeys(ROLES, 403),
    "staff": 405,
    "admin": 405,
}

RULES = [
    Rule("norms:index", logged_in(200)),
    Rule("norms:version", logged_in(200), kwargs=_versions),
    Rule("norms:version", logged_in(200), kwargs=_first_version),
    Rule("norms:version", logged_in(200), kwargs=_versions, data=lambda w: {"sector": "SV"}),
    # An unknown version answers 404 for everyone logged in.
    Rule("norms:version", logged_in(404), kwargs=lambda w: {"key": "anb", "label": "1999"}),
    Rule("norms:changes", logged_in(200), kwargs=_versions),
    # The first version has no previous version to compare with.
    Rule("norms:changes", logged_in(404), kwargs=_first_version),
    Rule("norms:version", STAFF_ELSE_404, kwargs=_concept_version),
    Rule("norms:version", STAFF_ELSE_404, kwargs=_concept_version, data=lambda w: {"sector": "PO"}),
    Rule("norms:changes", STAFF_ELSE_404, kwargs=_concept_version),
    Rule("norms:upload", staff_only(200)),
    # Posting without a file shows the form again with its error.
    Rule("norms:upload", staff_only(200), method="post"),
    # Publishing without a checked file in the session sends staff back to the upload page.
    Rule("norms:publish", staff_only(302), method="post", data=lambda w: {"token": "x"}),
    Rule("norms:publish", STAFF_POST_ONLY),
]
