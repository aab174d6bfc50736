"""The access matrix: for every URL pattern of the project, what each role gets.

Each app lists its URLs in `tests/access/rules_<app>.py` as `RULES: list[Rule]`.
`test_access_matrix.py` fails when a URL pattern has no rule, and checks every rule for
anonymous visitors and every role of the `world` fixture (tests/conftest.py), including users of
another school and another board.

Statuses: 200 ok, 302 to the login page (anonymous), 403 no right, 404 outside one's scope
(object URLs of another school or board: existence is not revealed), 405 wrong method.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ANONYMOUS = "anonymous"
ROLES = ["school", "other_school", "board", "other_board", "adviser", "staff", "admin"]
ALL = [ANONYMOUS, *ROLES]
LOGIN = 302


@dataclass(frozen=True)
class Rule:
    url_name: str
    expect: dict[str, int]
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def status_for(self, role: str) -> int:
        return self.expect[role]


def everyone(status: int = 200) -> dict[str, int]:
    """Public pages: the same answer for anonymous visitors and every role."""
    return dict.fromkeys(ALL, status)


def logged_in(status: int = 200) -> dict[str, int]:
    """Any logged-in user; anonymous visitors go to the login page."""
    return {ANONYMOUS: LOGIN, **dict.fromkeys(ROLES, status)}


def staff_only(status: int = 200) -> dict[str, int]:
    """Partnership staff and administrators only."""
    return {
        ANONYMOUS: LOGIN,
        **dict.fromkeys(["school", "other_school", "board", "other_board", "adviser"], 403),
        "staff": status,
        "admin": status,
    }


def only(allowed: dict[str, int], denied: int = 403) -> dict[str, int]:
    """Named roles get their status, other logged-in roles `denied`, anonymous the login page."""
    expect = {ANONYMOUS: LOGIN, **dict.fromkeys(ROLES, denied)}
    expect.update(allowed)
    return expect
