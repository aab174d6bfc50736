"""Reading rounds: the list, and the progress screen (one query for its rows)."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from selfscan.accounts import permissions as perms
from selfscan.norms.models import Statement
from selfscan.organisations.models import Bestuur, Wijk
from selfscan.scans.models import Scan
from selfscan.scans.progress import answered_filter

from .models import Round
from .notifications import Contact, contact_of, team_members

NOT_OPENED = [Round.Status.DRAFT, Round.Status.SCHEDULED]


def rounds_for(user: Any) -> QuerySet[Round]:
    """Staff see every round; board staff the rounds that have opened (not a concept, not a
    scheduled one)."""
    qs = Round.objects.select_related("version_po", "version_vo", "version_sv").annotate(
        n_scans=Count("scans", distinct=True),
        n_submitted=Count("scans", filter=Q(scans__status=Scan.Status.SUBMITTED), distinct=True),
    )
    if perms.is_partnership_staff(user):
        return qs.order_by("-opens_on", "-pk")
    return qs.exclude(status__in=NOT_OPENED).order_by("-opens_on", "-pk")


def statement_totals(round_: Round) -> dict[tuple[int, str], int]:
    """Applicable statements per (norm version, sector) of the round, in one query."""
    versions = {v for v in (round_.version_po_id, round_.version_vo_id, round_.version_sv_id) if v}
    totals: Counter[tuple[int, str]] = Counter()
    for version_id, sectors in Statement.objects.filter(version_id__in=versions).values_list(
        "version_id", "sectors"
    ):
        for sector in sectors or []:
            totals[(version_id, sector)] += 1
    return dict(totals)


@dataclass
class ProgressRow:
    scan: Scan
    answered: int
    total: int
    contacts: list[Contact] | None = None  # None: not asked for (not shown to this user)

    @property
    def percent(self) -> int:
        return (100 * self.answered) // self.total if self.total else 0

    @property
    def nobody_can_log_in(self) -> bool:
        return self.contacts is not None and not any(c.can_log_in for c in self.contacts)

    @property
    def contact_address_has_account(self) -> bool:
        """Whether the register's contact address is one of the team members shown."""
        email = (self.scan.school.contact_email or "").lower()
        return any(c.email == email for c in self.contacts or [])


@dataclass
class Progress:
    """The rows to show, and the counts of every school under the filters other than status
    (so the status filter's options and the response rate do not change with it)."""

    rows: list[ProgressRow]
    invited: int
    submitted: int
    in_progress: int
    not_started: int
    nobody_can_log_in: int = 0

    @property
    def response_rate(self) -> int:
        return (100 * self.submitted) // self.invited if self.invited else 0

    @property
    def status_counts(self) -> dict[str, int]:
        return {
            Scan.Status.NOT_STARTED: self.not_started,
            Scan.Status.IN_PROGRESS: self.in_progress,
            Scan.Status.SUBMITTED: self.submitted,
        }


def progress_scans(
    user: Any, round_: Round, filters: dict[str, Any], *, with_contacts: bool = False
) -> QuerySet[Scan]:
    answered = answered_filter(answer="answers__", scan="")
    qs = perms.visible_scans(user, Scan.objects.filter(round=round_))
    if filters.get("sector"):
        qs = qs.filter(sector=filters["sector"])
    if filters.get("wijk"):
        qs = qs.filter(wijk=filters["wijk"])
    if filters.get("bestuur"):
        qs = qs.filter(bestuur=filters["bestuur"])
    if filters.get("q"):
        qs = qs.filter(school__name__icontains=filters["q"])
    qs = (
        qs.select_related("school", "wijk", "bestuur")
        .annotate(n_answered=Count("answers", filter=answered))
        .order_by("school__name")
    )
    if with_contacts:
        qs = qs.prefetch_related(
            Prefetch("school__members", queryset=team_members(), to_attr="team")
        )
    return qs


def progress(
    user: Any, round_: Round, filters: dict[str, Any], *, with_contacts: bool = False
) -> Progress:
    """Per invited school the user may see: status, % answered, last activity; one query for
    the rows plus one for the statement totals. `with_contacts` adds each school's active team
    members and whether they can log in (`notifications.Contact`), in one more query.

    `filters` may hold sector, wijk, bestuur, q (part of the school name), status and login
    ("niemand": only schools nobody can log in to; with contacts only). The status and login
    filters are applied to the rows after counting, so the counts per status stay those of every
    school under the other filters, without another query."""
    totals = statement_totals(round_)
    rows = [
        ProgressRow(
            scan,
            scan.n_answered,  # type: ignore[attr-defined]
            totals.get((scan.norm_version_id, scan.sector), 0),
            [contact_of(u) for u in scan.school.team] if with_contacts else None,  # type: ignore[attr-defined]
        )
        for scan in progress_scans(user, round_, filters, with_contacts=with_contacts)
    ]
    status = Counter(row.scan.status for row in rows)
    wanted = filters.get("status")
    nobody = with_contacts and filters.get("login") == "niemand"
    return Progress(
        rows=[
            row
            for row in rows
            if (not wanted or row.scan.status == wanted) and (not nobody or row.nobody_can_log_in)
        ],
        invited=len(rows),
        submitted=status[Scan.Status.SUBMITTED],
        in_progress=status[Scan.Status.IN_PROGRESS],
        not_started=status[Scan.Status.NOT_STARTED],
        nobody_can_log_in=sum(1 for row in rows if row.nobody_can_log_in),
    )


def filter_options(user: Any, round_: Round) -> tuple[QuerySet[Wijk], QuerySet[Bestuur]]:
    scans = perms.visible_scans(user, Scan.objects.filter(round=round_))
    wijken = Wijk.objects.filter(pk__in=scans.values("wijk")).order_by("name")
    besturen = Bestuur.objects.filter(pk__in=scans.values("bestuur")).order_by("name")
    return wijken, besturen
