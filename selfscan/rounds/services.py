"""Writing measurement rounds: create and edit in concept, open (one Scan per invited school,
with the register snapshot) or schedule, extend, close, reopen, publish, and ask for reminders.

Each function owns its transaction and writes the audit log. Rule violations raise
`RoundError` with a Dutch message; nothing is written then.
"""

import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from selfscan.audit.services import record
from selfscan.norms.models import NormVersion
from selfscan.organisations.models import School
from selfscan.results.services import invalidate_round_results, refresh_round_results
from selfscan.scans.models import Scan

from . import notifications
from .models import Round

log = logging.getLogger(__name__)

SECTORS = ("PO", "VO", "SV")
EDITABLE_FIELDS = (
    "name",
    "version_po",
    "version_vo",
    "version_sv",
    "opens_on",
    "closes_on",
    "threshold_percent",
    "reminder_days_before",
    "team_perspectives",
    "min_group_size",
)


class RoundError(Exception):
    """A rule of the round's life cycle was broken; `str(error)` is the Dutch message."""


def active_schools(on: date | None = None) -> QuerySet[School]:
    """Schools active on `on` (today by default)."""
    day = on or timezone.localdate()
    return School.objects.filter(
        Q(active_from__isnull=True) | Q(active_from__lte=day),
        Q(active_to__isnull=True) | Q(active_to__gte=day),
    )


def sectors_of(round_: Round) -> list[str]:
    return [s for s in SECTORS if round_.version_for(s) is not None]


def default_invitations(round_: Round) -> QuerySet[School]:
    """All active schools of the sectors the round has a norm version for."""
    return active_schools(round_.opens_on).filter(sector__in=sectors_of(round_))


def _check_dates(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise RoundError(_("De sluitingsdatum ligt vóór de openingsdatum."))


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    return {k: [str(before.get(k, "")), str(after[k])] for k in after if before.get(k) != after[k]}


def save_round(
    *, round_: Round | None, by: Any, data: dict[str, Any], invited: list[School] | None
) -> Round:
    """Create a round or change it while it is in concept. `invited` None or empty: the default
    invitation (all active schools of the chosen sectors)."""
    _check_dates(data["opens_on"], data["closes_on"])
    with transaction.atomic():
        creating = round_ is None
        if round_ is None:
            round_ = Round(created_by=by if getattr(by, "pk", None) else None)
            before: dict[str, Any] = {}
        else:
            round_ = Round.objects.select_for_update().get(pk=round_.pk)
            if round_.status != Round.Status.DRAFT:
                raise RoundError(_("Alleen een meetronde in concept kan worden gewijzigd."))
            before = {k: getattr(round_, k) for k in EDITABLE_FIELDS}
        for key in EDITABLE_FIELDS:
            if key in data:
                setattr(round_, key, data[key])
        if not sectors_of(round_):
            raise RoundError(_("Kies voor minstens één sector een normversie."))
        for sector in ("PO", "VO", "SV"):
            version = round_.version_for(sector)
            if version is not None and version.sectors and sector not in version.sectors:
                raise RoundError(
                    _("Normversie %(version)s geldt niet voor sector %(sector)s.")
                    % {"version": version, "sector": sector}
                )
        round_.save()
        schools = list(invited) if invited else list(default_invitations(round_))
        wrong = [s for s in schools if round_.version_for(s.sector) is None]
        if wrong:
            raise RoundError(
                _("%(school)s is uitgenodigd, maar voor sector %(sector)s is geen normversie.")
                % {"school": wrong[0].name, "sector": wrong[0].sector}
            )
        round_.invited_schools.set(schools)
        after = {k: getattr(round_, k) for k in EDITABLE_FIELDS}
        record(
            actor=by,
            action="round.created" if creating else "round.changed",
            obj=round_,
            changes={**_diff(before, after), "invited": len(schools)},
        )
    return round_


def _check_openable(locked: Round) -> list[School]:
    """The invited schools, if the round may open with them; else RoundError."""
    schools = list(locked.invited_schools.select_related("wijk").order_by("pk"))
    if not schools:
        raise RoundError(_("Er zijn geen scholen uitgenodigd."))
    for school in schools:
        version = locked.version_for(school.sector)
        if version is None:
            raise RoundError(
                _("Voor sector %(sector)s is geen normversie gekozen.") % {"sector": school.sector}
            )
        if version.status != NormVersion.Status.ADOPTED:
            raise RoundError(
                _(
                    "Normversie %(version)s is niet vastgesteld. Een meetronde gebruikt "
                    "alleen vastgestelde versies."
                )
                % {"version": version}
            )
    return schools


def _start(locked: Round, by: Any, schools: list[School]) -> int:
    """Make a (locked) round open now: one Scan per school with its register snapshot.
    The one place where a round becomes open, by hand or on its date (`open_due_rounds`)."""
    scans = [
        Scan(
            round=locked,
            school=school,
            norm_version=locked.version_for(school.sector),
            sector=school.sector,
            subtype=school.subtype,
            wijk_id=school.wijk_id,
            stadsdeel_id=school.wijk.stadsdeel_id if school.wijk else None,
            bestuur_id=school.bestuur_id,
        )
        for school in schools
    ]
    Scan.objects.bulk_create(scans)
    locked.status = Round.Status.OPEN
    locked.opened_at = timezone.now()
    locked.save(update_fields=["status", "opened_at"])
    record(actor=by, action="round.opened", obj=locked, changes={"scans": len(scans)})
    # Invitations by e-mail once the scans exist (notifications.py, decision 0140).
    notifications.queue_round_invitations(locked.pk)
    # The round's first results (nothing submitted yet) in the background: from then on every
    # submit and reopen updates them in place, and no page computes them (decision 0210).
    refresh_round_results(locked.pk)
    return len(scans)


def open_round(*, round_: Round, by: Any, on: date | None = None) -> int:
    """Open a round in concept. If its opening date lies after `on` (today by default) the
    round becomes scheduled ("gepland"): no school sees it yet, and `open_due_rounds` opens it
    on its date (docs/decisions/0130). Otherwise one Scan per invited school is created now,
    with the school's sector, sub-type, wijk, stadsdeel and bestuur as they are now.

    Returns the number of scans created: 0 when the round was scheduled (then
    `round_.status` is "gepland")."""
    day = on or timezone.localdate()
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.status != Round.Status.DRAFT:
            raise RoundError(_("Deze meetronde is al geopend."))
        schools = _check_openable(locked)
        if locked.opens_on > day:
            locked.status = Round.Status.SCHEDULED
            locked.save(update_fields=["status"])
            record(
                actor=by,
                action="round.scheduled",
                obj=locked,
                changes={"opens_on": str(locked.opens_on), "invited": len(schools)},
            )
            created = 0
        else:
            created = _start(locked, by, schools)
    round_.refresh_from_db()
    return created


def open_due_rounds(*, on: date | None = None, by: Any = None) -> list[int]:
    """Open every scheduled round whose opening date is `on` (today by default) or earlier.
    Idempotent: a round that is already open is not touched. Returns the ids opened."""
    day = on or timezone.localdate()
    opened = []
    due = Round.objects.filter(status=Round.Status.SCHEDULED, opens_on__lte=day)
    for round_id in due.order_by("opens_on", "pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                locked = Round.objects.select_for_update().get(pk=round_id)
                if locked.status != Round.Status.SCHEDULED:
                    continue
                _start(locked, by, _check_openable(locked))
        except RoundError as error:
            # e.g. a norm version withdrawn since scheduling: the round stays "gepland" (its
            # page says it is overdue) and the other due rounds still open.
            log.error("Scheduled round %s could not open: %s", round_id, error)
            continue
        opened.append(round_id)
    return opened


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if "\x00" in reason:
        raise RoundError(_("Een reden mag geen nul-tekens bevatten."))
    if len(reason) > 2000:
        raise RoundError(_("Een reden is ten hoogste 2000 tekens lang."))
    return reason


def extend_round(*, round_: Round, by: Any, closes_on: date, reason: str | None = None) -> Round:
    """Move the close date of an open round later. A reason, when given, is shown to the
    schools (on their home page and their scan overview)."""
    reason = _clean_reason(reason)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.status != Round.Status.OPEN:
            raise RoundError(_("Alleen de sluitingsdatum van een open meetronde kan later."))
        if closes_on <= locked.closes_on:
            raise RoundError(
                _("De nieuwe sluitingsdatum moet na %(date)s liggen.")
                % {"date": date_format(locked.closes_on, "DATE_FORMAT")}
            )
        old = locked.closes_on
        locked.closes_on = closes_on
        fields = ["closes_on"]
        changes: dict[str, Any] = {"closes_on": [str(old), str(closes_on)]}
        if reason:
            locked.notice = reason
            fields.append("notice")
            changes["reason"] = reason
        locked.save(update_fields=fields)
        record(actor=by, action="round.extended", obj=locked, changes=changes)
    round_.refresh_from_db()
    return round_


def reopen_round(
    *, round_: Round, by: Any, closes_on: date, reason: str, on: date | None = None
) -> Round:
    """Reopen a closed round that is not published, until `closes_on` (`on`, today by
    default, or later). Schools that had not submitted can fill in again; submitted scans stay
    submitted. The reason is required and shown to the schools; the stored results are
    discarded (they are computed again when the round closes)."""
    day = on or timezone.localdate()
    reason = _clean_reason(reason)
    if not reason:
        raise RoundError(_("Geef een reden op; de scholen zien die reden."))
    if closes_on < day:
        raise RoundError(
            _("De nieuwe sluitingsdatum moet vandaag (%(date)s) of later zijn.")
            % {"date": date_format(day, "DATE_FORMAT")}
        )
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.status != Round.Status.CLOSED:
            raise RoundError(
                _("Alleen een gesloten meetronde die nog niet is gepubliceerd kan heropenen.")
            )
        old = locked.closes_on
        locked.status = Round.Status.OPEN
        locked.closes_on = closes_on
        locked.notice = reason
        locked.save(update_fields=["status", "closes_on", "notice"])
        record(
            actor=by,
            action="round.reopened",
            obj=locked,
            changes={
                "status": [Round.Status.CLOSED, Round.Status.OPEN],
                "closes_on": [str(old), str(closes_on)],
                "reason": reason,
            },
        )
        invalidate_round_results(locked.pk)
    round_.refresh_from_db()
    return round_


def _transition(round_: Round, by: Any, src: str, dst: str, message: str, action: str) -> Round:
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.status != src:
            raise RoundError(message)
        locked.status = dst
        locked.save(update_fields=["status"])
        record(actor=by, action=action, obj=locked, changes={"status": [src, dst]})
    round_.refresh_from_db()
    return round_


def close_round(*, round_: Round, by: Any) -> Round:
    """Close an open round: no school can change its scan any more. Its aggregates are then
    computed once, in the background."""
    with transaction.atomic():
        closed = _transition(
            round_,
            by,
            Round.Status.OPEN,
            Round.Status.CLOSED,
            _("Alleen een open meetronde kan worden gesloten."),
            "round.closed",
        )
        refresh_round_results(closed.pk)
    return closed


def publish_round(*, round_: Round, by: Any) -> Round:
    """Publish a closed round's results (also after a reopen and a second close); the results
    are computed again from the scans as they are now. Publishing cannot be undone: a
    published round cannot reopen."""
    with transaction.atomic():
        published = _transition(
            round_,
            by,
            Round.Status.CLOSED,
            Round.Status.PUBLISHED,
            _("Alleen een gesloten meetronde kan worden gepubliceerd."),
            "round.published",
        )
        refresh_round_results(published.pk)
    return published


def create_round(*, by: Any, data: dict[str, Any], invited: list[School] | None = None) -> Round:
    """Create a round in concept (see `save_round`: `data` holds `EDITABLE_FIELDS`; `invited`
    None or empty invites every active school of the sectors with a norm version)."""
    return save_round(round_=None, by=by, data=data, invited=invited)


def version_is_used(version: Any) -> bool:
    """A norm version is used once a round that is not in concept refers to it."""
    return (
        Round.objects.exclude(status=Round.Status.DRAFT)
        .filter(Q(version_po=version) | Q(version_vo=version) | Q(version_sv=version))
        .exists()
    )
