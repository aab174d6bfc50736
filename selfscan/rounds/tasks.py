"""Round e-mails: the invitation when a round opens, and reminders to invited schools that have
not submitted, at most once a day per school. Both go only to people who can log in
(`notifications.can_log_in`)."""

import logging
from datetime import date, timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from selfscan.audit.services import record
from selfscan.core.tasks import enqueue
from selfscan.scans.models import Scan

from . import notifications
from .models import Round

log = logging.getLogger(__name__)


@shared_task(name="rounds.send_reminders")
def send_reminders(
    round_id: int, on: str | None = None, scan_ids: list[int] | None = None
) -> dict[str, Any]:
    """Send one reminder per not-submitted scan of an open round (or of the scans in
    `scan_ids`), to the school's team members who can log in; never twice on one day.

    Idempotent: a school is claimed with a conditional UPDATE of `last_reminded_on` in the same
    transaction as its e-mail, so a second run on the same day (or a parallel one) sends nothing.
    A school with nobody who can log in is not claimed: it gets its reminder on the day someone
    can. The audit line `round.reminders_sent` counts what was really sent."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    round_ = Round.objects.filter(pk=round_id, status=Round.Status.OPEN).first()
    if round_ is None:
        return {"round": round_id, "sent": 0, "skipped": "not open"}
    pending = list(notifications.pending_reminder_scans(round_, day, scan_ids))
    people = notifications.login_recipients(scan.school_id for scan in pending)
    sent = persons = unreachable = 0
    for scan in pending:
        to = sorted(user.email for user in people.get(scan.school_id, []))
        if not to:
            log.info("Nobody who can log in at school %s: no reminder", scan.school_id)
            unreachable += 1
            continue
        with transaction.atomic():
            claimed = (
                Scan.objects.filter(pk=scan.pk)
                .exclude(status=Scan.Status.SUBMITTED)
                .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=day))
                .update(last_reminded_on=day)
            )
            if not claimed:
                continue
            subject, body = notifications.render_mail(
                "reminder", {"round": round_, "school": scan.school, "scan": scan}
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
            sent += 1
            persons += len(to)
    if sent:
        with transaction.atomic():
            record(
                actor=None,
                action="round.reminders_sent",
                obj=round_,
                changes={"scholen": sent, "personen": persons, "zonder_inlog": unreachable},
            )
    return {"round": round_id, "sent": sent, "people": persons, "unreachable": unreachable}


@shared_task(name="rounds.send_due_reminders")
def send_due_reminders(on: str | None = None) -> list[int]:
    """Daily (beat): reminders for open rounds whose close date is `reminder_days_before` away."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    due = [
        r.pk
        for r in Round.objects.filter(status=Round.Status.OPEN, closes_on__gte=day)
        if r.closes_on - timedelta(days=r.reminder_days_before) == day
    ]
    for round_id in due:
        enqueue(send_reminders, round_id, day.isoformat())
    return due


@shared_task(name="rounds.open_due_rounds")
def open_due_rounds(on: str | None = None) -> list[int]:
    """Daily (beat): open the scheduled rounds whose opening date has come (`on`, an ISO date,
    today by default). Idempotent: an open round is not opened twice."""
    from .services import open_due_rounds as open_due

    day = date.fromisoformat(on) if on else timezone.localdate()
    return open_due(on=day)


@shared_task(name="rounds.send_round_invitations")
def send_round_invitations(round_id: int) -> dict[str, Any]:
    """The invitation to an open round, once per person (see `notifications`)."""
    return notifications.send_round_invitations(round_id)


@shared_task(name="rounds.send_pending_invitations")
def send_pending_invitations() -> list[int]:
    """Hourly (beat): invitations for every open round, to whoever can log in and has not had
    one: a round that opened on its scheduled date, a send that failed, a team member who
    accepted their account invitation since."""
    open_rounds = list(
        Round.objects.filter(status=Round.Status.OPEN).order_by("pk").values_list("pk", flat=True)
    )
    for round_id in open_rounds:
        enqueue(send_round_invitations, round_id)
    return open_rounds
