"""Selector for `manage.py round_status`: per sector how many schools are invited, have
started and have submitted (one query)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from selfscan.organisations.models import School
from selfscan.scans.models import Scan

from .models import Round
from .services import default_invitations


@dataclass(frozen=True)
class SectorStatus:
    sector: str
    invited: int
    started: int  # in progress or submitted
    submitted: int

    @property
    def response_percent(self) -> int:
        """Submitted as a whole percent of invited, rounded down."""
        return (100 * self.submitted) // self.invited if self.invited else 0


def status_by_sector(round_: Round) -> list[SectorStatus]:
    """Per sector (PO, VO, SV order) of the round. Before opening there are no scans yet: the
    invitations are counted (the default invitation when none were chosen)."""
    if round_.status == Round.Status.DRAFT:
        schools: QuerySet[School] = round_.invited_schools.all()
        if not schools.exists():
            schools = default_invitations(round_)
        counts = schools.values("sector").annotate(n=Count("pk")).order_by()
        return _ordered([SectorStatus(r["sector"], r["n"], 0, 0) for r in counts])
    rows = (
        Scan.objects.filter(round=round_)
        .values("sector")
        .annotate(
            invited=Count("pk"),
            started=Count("pk", filter=~Q(status=Scan.Status.NOT_STARTED)),
            submitted=Count("pk", filter=Q(status=Scan.Status.SUBMITTED)),
        )
        .order_by()
    )
    return _ordered(
        [SectorStatus(r["sector"], r["invited"], r["started"], r["submitted"]) for r in rows]
    )


def _ordered(rows: list[SectorStatus]) -> list[SectorStatus]:
    order = {"PO": 0, "VO": 1, "SV": 2}
    return sorted(rows, key=lambda row: order.get(row.sector, 9))
