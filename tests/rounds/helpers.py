"""Shared steps for the round tests: answer a whole scan, submit it."""

from typing import Any

from selfscan.scans.models import Scan
from selfscan.scans.services import save_answer, submit_scan


def answer_all(scan: Scan, user: Any) -> None:
    for statement in scan.norm_version.statements.all():
        value = "3"
        result = save_answer(
            scan=scan, statement_id=statement.pk, by=user, value=value, expected_version=0
        )
        assert not result.conflict


def submit(scan: Scan, user: Any) -> None:
    answer_all(scan, user)
    _scan, created = submit_scan(scan=scan, by=user)
    assert created
