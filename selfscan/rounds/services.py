"""Writing measurement rounds: create and edit in concept, open (one Scan per invited school,
with the register snapshot), extend, close, publish, and ask for reminders.

Each function owns its transaction and writes the audit log. Rule violations raise
`RoundError` with a Dutch message; nothing is written then.
"""

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
from selfscan.results.services import refresh_round_results
from selfscan.scans.models import Scan

from .models import Round

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


def open_round(*, round_: Round, by: Any) -> int:
    """Open a round in concept: one Scan per invited school with the school's sector,
    sub-type, wijk, stadsdeel and bestuur as they are now. Returns the number of scans."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.status != Round.Status.DRAFT:
            raise RoundError(_("Deze meetronde is al geopend."))
        schools = list(locked.invited_schools.select_related("wijk").order_by("pk"))
        if not schools:
            raise RoundError(_("Er zijn geen scholen uitgenodigd."))
        scans = []
        for school in schools:
            version = locked.version_for(school.sector)
            if version is None:
                raise RoundError(
                    _("Voor sector %(sector)s is geen normversie gekozen.")
                    % {"sector": school.sector}
                )
            if version.status != NormVersion.Status.ADOPTED:
                raise RoundError(
                    _(
                        "Normversie %(version)s is niet vastgesteld. Een meetronde gebruikt "
                        "alleen vastgestelde versies."
                    )
                    % {"version": version}
                )
            scans.append(
                Scan(
                    round=locked,
                    school=school,
                    norm_version=version,
                    sector=school.sector,
                    subtype=school.subtype,
                    wijk_id=school.wijk_id,
                    stadsdeel_id=school.wijk.stadsdeel_id if school.wijk else None,
                    bestuur_id=school.bestuur_id,
                )
            )
        Scan.objects.bulk_create(scans)
        locked.status = Round.Status.OPEN
        locked.opened_at = timezone.now()
        locked.save(update_fields=["status", "opened_at"])
        record(actor=by, action="round.opened", obj=locked, changes={"scans": len(scans)})
    round_.refresh_from_db()
    return len(scans)


def extend_round(*, round_: Round, by: Any, closes_on: date) -> Round:
    """Move the close date of an open round later."""
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
        locked.save(update_fields=["closes_on"])
        record(
            actor=by,
            action="round.extended",
            obj=locked,
            changes={"closes_on": [str(old), str(closes_on)]},
        )
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
    """Publish a closed round's results."""
    return _transition(
        round_,
        by,
        Round.Status.CLOSED,
        Round.Status.PUBLISHED,
        _("Alleen een gesloten meetronde kan worden gepubliceerd."),
        "round.published",
    )


def request_reminders(*, round_: Round, by: Any) -> None:
    """Queue reminder e-mails for the round's schools that have not submitted (after commit)."""
    from .tasks import send_reminders

    if round_.status != Round.Status.OPEN:
        raise RoundError(_("Herinneringen kunnen alleen voor een open meetronde."))
    with transaction.atomic():
        record(actor=by, action="round.reminders_requested", obj=round_)
        round_id = round_.pk
        transaction.on_commit(lambda: send_reminders.delay(round_id))


def version_is_used(version: Any) -> bool:
    """A norm version is used once a round that is not in concept refers to it."""
    return (
        Round.objects.exclude(status=Round.Status.DRAFT)
        .filter(Q(version_po=version) | Q(version_vo=version) | Q(version_sv=version))
        .exists()
    )


# --- reopen_round: minimal stand-in (engineer "ops", issue 14) -------------------------------
# The `reopen_round` command is written against this signature. The rounds engineer adds the
# real service concurrently; at merge keep theirs and drop this block. Round has no field for
# the reason and this block adds no migration: the reason is kept in the audit log only.


def reopen_round(*, round_: Round, by: Any, closes_on: date, reason: str) -> Round:
    """Open a closed round again until `closes_on` (after today); `reason` goes to the audit
    log. Its stored results are recomputed when it closes again."""
    reason = (reason or "").strip()
    if not reason:
        raise RoundError(_("Geef een reden op voor het heropenen van de meetronde."))
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.status != Round.Status.CLOSED:
            raise RoundError(_("Alleen een gesloten meetronde kan worden heropend."))
        today = timezone.localdate()
        if closes_on <= today:
            raise RoundError(
                _("De nieuwe sluitingsdatum moet na vandaag (%(date)s) liggen.")
                % {"date": date_format(today, "DATE_FORMAT")}
            )
        old = locked.closes_on
        locked.status = Round.Status.OPEN
        locked.closes_on = closes_on
        locked.save(update_fields=["status", "closes_on"])
        record(
            actor=by,
            action="round.reopened",
            obj=locked,
            changes={
                "status": [Round.Status.CLOSED, Round.Status.OPEN],
                "closes_on": [str(old), str(closes_on)],
                "reden": reason,
            },
        )
    round_.refresh_from_db()
    return round_
