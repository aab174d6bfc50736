"""What the home page shows each role after login: one selector per role, built on the rounds
and scans selectors (a fixed number of queries, however many schools a user has)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from selfscan.accounts import permissions as perms
from selfscan.rounds.models import Round
from selfscan.rounds.selectors import Progress, ProgressRow, progress, rounds_for
from selfscan.scans.models import Scan
from selfscan.scans.services import locked_reason


@dataclass
class RoundSummary:
    """One open round as a user sees it: only the schools the user may see."""

    round: Round
    progress: Progress
    today: date

    @property
    def days_left(self) -> int:
        """Days until the closing date, the closing day itself included (0 once past)."""
        return max((self.round.closes_on - self.today).days + 1, 0)

    @property
    def closes_soon(self) -> bool:
        return self.days_left <= self.round.reminder_days_before

    @property
    def rows(self) -> list[ProgressRow]:
        return self.progress.rows


@dataclass
class SchoolCard:
    """A school team's scan in an open round: how far, and whether it can still change."""

    row: ProgressRow
    locked: str
    round: RoundSummary

    @property
    def scan(self) -> Scan:
        return self.row.scan


@dataclass
class Home:
    role: str  # "school", "board", "staff" or "other"
    rounds: list[RoundSummary] = field(default_factory=list)
    cards: list[SchoolCard] = field(default_factory=list)
    drafts: int = 0


def _open_rounds(user: Any) -> list[Round]:
    """Open rounds, the ones that can be filled in today first (a round whose opening date
    lies ahead, or whose closing date has passed, comes after them), newest first."""
    today = timezone.localdate()
    rounds = list(rounds_for(user).filter(status=Round.Status.OPEN))
    return sorted(rounds, key=lambda r: not (r.opens_on <= today <= r.closes_on))


def _summaries(user: Any) -> list[RoundSummary]:
    """Open rounds with the user's schools' progress; rounds without such a school are left out."""
    today = timezone.localdate()
    summaries = []
    for round_ in _open_rounds(user):
        summary = progress(user, round_, {})
        if summary.invited:
            summaries.append(RoundSummary(round_, summary, today))
    return summaries


def school_home(user: Any) -> Home:
    """The user's scans in the open round(s): status, % answered, deadline, locked or not."""
    rounds = _summaries(user)
    cards = []
    for summary in rounds:
        for row in summary.rows:
            row.scan.round = summary.round  # the scan's round is known: no query per scan
            cards.append(SchoolCard(row, locked_reason(row.scan, on=summary.today), summary))
    return Home(role="school", rounds=rounds, cards=cards)


def board_home(user: Any) -> Home:
    """Response of the board's own schools in the open round(s)."""
    return Home(role="board", rounds=_summaries(user))


def staff_home(user: Any) -> Home:
    """Response in the open round(s) over all invited schools, and rounds still in draft."""
    drafts = rounds_for(user).filter(status=Round.Status.DRAFT).count()
    return Home(role="staff", rounds=_summaries(user), drafts=drafts)


def home_for(user: Any) -> Home:
    if perms.is_partnership_staff(user):
        return staff_home(user)
    if perms.is_board_user(user):
        return board_home(user)
    if perms.is_school_user(user):
        return school_home(user)
    return Home(role="other")
