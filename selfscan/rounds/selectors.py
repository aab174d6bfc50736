"""Reading rounds: the list, and the progress screen (one query for its rows)."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Value
from django.utils.functional import cached_property

from selfscan.accounts import permissions as perms
from selfscan.accounts.models import Role, User
from selfscan.norms.models import Statement
from selfscan.organisations.models import Bestuur, Wijk
from selfscan.scans.models import Answer, Scan
from selfscan.scans.progress import answered_filter

from .models import Round
from .notifications import Contact, can_log_in_q, contact_of, team_members

NOT_OPENED = [Round.Status.DRAFT, Round.Status.SCHEDULED]


def visible_rounds(user: Any) -> QuerySet[Round]:
    """Staff see every round; board staff the rounds that have opened (not a concept, not a
    scheduled one). Without counts: for pages of one round."""
    qs = Round.objects.all()
    if perms.is_partnership_staff(user):
        return qs.order_by("-opens_on", "-pk")
    return qs.exclude(status__in=NOT_OPENED).order_by("-opens_on", "-pk")


def rounds_for(user: Any) -> QuerySet[Round]:
    """`visible_rounds` with their numbers of scans and of submitted scans (the lists)."""
    return (
        visible_rounds(user)
        .select_related("version_po", "version_vo", "version_sv")
        .annotate(
            n_scans=Count("scans", distinct=True),
            n_submitted=Count(
                "scans", filter=Q(scans__status=Scan.Status.SUBMITTED), distinct=True
            ),
        )
    )


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


def _scans_under_filters(user: Any, round_: Round, filters: dict[str, Any]) -> QuerySet[Scan]:
    """The visible scans of the round under the sector, wijk, bestuur and search filters (not
    status or login: the counts per status are taken under these)."""
    qs = perms.visible_scans(user, Scan.objects.filter(round=round_))
    if filters.get("sector"):
        qs = qs.filter(sector=filters["sector"])
    if filters.get("wijk"):
        qs = qs.filter(wijk=filters["wijk"])
    if filters.get("bestuur"):
        qs = qs.filter(bestuur=filters["bestuur"])
    if filters.get("q"):
        qs = qs.filter(school__name__icontains=filters["q"])
    return qs


def progress_scans(
    user: Any, round_: Round, filters: dict[str, Any], *, with_contacts: bool = False
) -> QuerySet[Scan]:
    answered = answered_filter(answer="answers__", scan="")
    qs = (
        _scans_under_filters(user, round_, filters)
        .select_related("school", "wijk", "bestuur")
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


def someone_can_log_in() -> Q:
    """Whether the scan's school has a team member who can log in: `ProgressRow`'s
    `nobody_can_log_in`, negated, as SQL (an active school account with a usable password).
    An uncorrelated `IN`: the database builds the set of schools once (a correlated `EXISTS`
    ran once per school, and made PostgreSQL compile the query with JIT)."""
    members = User.schools.through.objects.filter(can_log_in_q("user__"), user__role=Role.SCHOOL)
    return Q(school_id__in=members.values("school_id"))


class _CountedPaginator(Paginator):
    """A paginator told its count (known from the counts per status: no COUNT query)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def progress_page(
    user: Any,
    round_: Round,
    filters: dict[str, Any],
    page_number: Any,
    *,
    per_page: int,
    with_contacts: bool = False,
) -> tuple[Progress, Page]:
    """One page of `progress` for the progress screen: the same counts of every school, but
    only the rows of one page are loaded (7,000 schools loaded whole took seconds, issue 18).

    The counts per status (and of schools nobody can log in to) come from one GROUP BY; the
    status and login filters are applied in SQL; the page's rows, their answered statements and
    (with contacts) their team members take one query each, so the number of queries does not
    grow with the number of schools. `page_number` as the request gives it: a wrong one or one
    below 1 gives the first page, one past the end the last. `Progress.rows` holds the page's
    rows."""
    base = _scans_under_filters(user, round_, filters)
    nobody_q = ~someone_can_log_in()
    nobody = Count("pk", filter=nobody_q) if with_contacts else Value(0)
    counts: dict[str, dict[str, Any]] = {
        row["status"]: dict(row)
        for row in base.order_by().values("status").annotate(n=Count("pk"), nobody=nobody)
    }
    wanted = filters.get("status")
    only_nobody = with_contacts and filters.get("login") == "niemand"
    matching = sum(
        row["nobody"] if only_nobody else row["n"]
        for status, row in counts.items()
        if not wanted or status == wanted
    )
    qs = base
    if wanted:
        qs = qs.filter(status=wanted)
    if only_nobody:
        qs = qs.filter(nobody_q)
    qs = qs.select_related("school", "wijk", "bestuur").order_by("school__name", "pk")
    if with_contacts:
        qs = qs.prefetch_related(
            Prefetch("school__members", queryset=team_members(), to_attr="team")
        )
    try:
        number = max(1, int(page_number))  # 0 and below: the first page (Django: the last)
    except (TypeError, ValueError):
        number = 1
    page = _CountedPaginator(qs, per_page, matching).get_page(number)
    scans = list(page.object_list)
    answered = dict(
        Answer.objects.filter(answered_filter(), scan__in=[scan.pk for scan in scans])
        .order_by()
        .values("scan_id")
        .annotate(n=Count("pk"))
        .values_list("scan_id", "n")
    )
    totals = statement_totals(round_) if scans else {}
    rows = [
        ProgressRow(
            scan,
            answered.get(scan.pk, 0),
            totals.get((scan.norm_version_id, scan.sector), 0),
            [contact_of(u) for u in scan.school.team] if with_contacts else None,
        )
        for scan in scans
    ]
    page.object_list = rows
    per_status = {status: int(row["n"]) for status, row in counts.items()}
    return Progress(
        rows=rows,
        invited=sum(per_status.values()),
        submitted=per_status.get(Scan.Status.SUBMITTED, 0),
        in_progress=per_status.get(Scan.Status.IN_PROGRESS, 0),
        not_started=per_status.get(Scan.Status.NOT_STARTED, 0),
        nobody_can_log_in=sum(int(row["nobody"]) for row in counts.values()),
    ), page


def filter_options(user: Any, round_: Round) -> tuple[QuerySet[Wijk], QuerySet[Bestuur]]:
    scans = perms.visible_scans(user, Scan.objects.filter(round=round_))
    wijken = Wijk.objects.filter(pk__in=scans.values("wijk")).order_by("name")
    besturen = Bestuur.objects.filter(pk__in=scans.values("bestuur")).order_by("name")
    return wijken, besturen
