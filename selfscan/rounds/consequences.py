"""Reading what a step in a round's life would do, in numbers, for its confirmation page:
opening (who is invited, who cannot log in), closing (who is locked out, how early) and
publishing (who sees what). Each selector uses a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from selfscan.accounts import permissions as perms
from selfscan.audit.models import AuditEvent
from selfscan.organisations.models import School
from selfscan.scans.models import Scan

from .models import Round


@dataclass
class Opening:
    invited: int
    per_sector: list[tuple[str, int]]
    without_account: list[School]
    scheduled: bool
    opens_on: date

    @property
    def n_without_account(self) -> int:
        return len(self.without_account)


def opening(round_: Round, *, on: date | None = None) -> Opening:
    """The schools the round invites, per sector, and those without any active school-team
    account (nobody there can log in to fill in the scan); scheduled when it opens later."""
    day = on or timezone.localdate()
    schools = round_.invited_schools.all()
    sectors = Counter(schools.values_list("sector", flat=True))
    with_team = perms.schools_with_active_team(schools).values("pk")
    without = list(schools.exclude(pk__in=with_team).order_by("name"))
    return Opening(
        invited=sum(sectors.values()),
        per_sector=[(s, sectors[s]) for s in ("PO", "VO", "SV") if sectors[s]],
        without_account=without,
        scheduled=round_.opens_on > day,
        opens_on=round_.opens_on,
    )


@dataclass
class Closing:
    invited: int
    submitted: int
    in_progress: int
    not_started: int
    days_early: int  # days on which schools could still fill in; 0 once the date has passed
    locked_out: list[Scan]

    @property
    def not_submitted(self) -> int:
        return self.in_progress + self.not_started

    @property
    def early(self) -> bool:
        return self.days_early > 0


def closing(round_: Round, *, on: date | None = None) -> Closing:
    """Who closing now locks out (every scan not submitted), and how many days before the
    closing date (the closing day itself counts as a day to fill in)."""
    day = on or timezone.localdate()
    scans = Scan.objects.filter(round=round_)
    counts = Counter(scans.values_list("status", flat=True))
    locked_out = list(
        scans.exclude(status=Scan.Status.SUBMITTED)
        .select_related("school")
        .order_by("school__name")
    )
    return Closing(
        invited=sum(counts.values()),
        submitted=counts[Scan.Status.SUBMITTED],
        in_progress=counts[Scan.Status.IN_PROGRESS],
        not_started=counts[Scan.Status.NOT_STARTED],
        days_early=max((round_.closes_on - day).days + 1, 0),
        locked_out=locked_out,
    )


@dataclass
class Publishing:
    invited: int
    submitted: int
    school_teams: int
    besturen: int
    wijken: int
    min_group_size: int
    reopened: bool

    @property
    def not_submitted(self) -> int:
        return self.invited - self.submitted

    @property
    def submitted_without_team(self) -> int:
        return self.submitted - self.school_teams


def publishing(round_: Round) -> Publishing:
    """Who will see what: the teams of the schools that submitted their own results, the
    besturen of those schools theirs, the partnership the city's, per wijk and per bestuur."""
    submitted = Q(status=Scan.Status.SUBMITTED)
    figures = Scan.objects.filter(round=round_).aggregate(
        invited=Count("pk"),
        submitted=Count("pk", filter=submitted),
        besturen=Count("bestuur", filter=submitted, distinct=True),
        wijken=Count("wijk", filter=submitted, distinct=True),
    )
    teams = (
        perms.schools_with_active_team(School.objects.all())
        .filter(scans__round=round_, scans__status=Scan.Status.SUBMITTED)
        .count()
    )
    reopened = AuditEvent.objects.filter(
        action="round.reopened", object_type="rounds.round", object_id=str(round_.pk)
    ).exists()
    return Publishing(
        invited=figures["invited"],
        submitted=figures["submitted"],
        school_teams=teams,
        besturen=figures["besturen"],
        wijken=figures["wijken"],
        min_group_size=round_.min_group_size,
        reopened=reopened,
    )
