"""Every URL of the access matrix, posted junk by a role allowed to use it: never a 500."""

from typing import Any

import pytest
from django.urls import reverse

from tests.access.test_access_matrix import RULES

JUNK_VALUES = ["abc", "-1", "\x00", "=1+1", "9" * 40]  # the last one overflowed SQLite
FIELDS = [
    "statement", "theme", "value", "version", "comment", "nvt_explanation", "reflection",
    "action", "digest", "token", "sha256", "closes_on", "opens_on", "direction", "reason",
    "round", "layout", "category", "source", "target", "answer", "name", "role", "schools",
    "besturen", "wijken", "kind", "sector", "email", "submission_token", "wizard_goto_step",
    "reflection-version", "is_active", "threshold_percent", "version_po", "invited_schools",
]  # fmt: skip


def _allowed_role(rule: Any) -> str | None:
    for role in ("school", "staff", "admin", "board"):
        if rule.expect.get(role) in (200, 302):
            return role
    return None


CASES = [
    pytest.param(rule, junk, id=f"{rule.url_name}-{n}")
    for rule in RULES
    if _allowed_role(rule) and rule.url_name not in {"admin:index"}
    for n, junk in enumerate(JUNK_VALUES)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("rule", "junk"), CASES)
def test_junk_post_is_never_a_server_error(client: Any, world: Any, rule: Any, junk: str):
    client.raise_request_exception = False
    client.force_login(world.user(_allowed_role(rule)))
    url = reverse(rule.url_name, kwargs=rule.kwargs(world) if rule.kwargs else {})
    data = dict.fromkeys(FIELDS, junk)
    data.update({f"s{n}-value": junk for n in range(1, 30)})
    data.update({f"cat-{n}": junk for n in range(1, 30)})
    response = client.post(url, data)
    assert response.status_code < 500, f"POST {url} with {junk!r}"
    response = client.get(url, data)
    assert response.status_code < 500, f"GET {url} with {junk!r}"
