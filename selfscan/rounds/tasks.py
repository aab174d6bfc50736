"""Reminder e-mails to invited schools that have not submitted, at most once a day per school."""

import logging
from datetime import date, timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from selfscan.accounts.models import Role, User
from selfscan.core.tasks import enqueue
from selfscan.scans.models import Scan

from .models import Round

log = logging.getLogger(__name__)


def recipients_for(scan: Scan) -> list[str]:
    """The school's active team members, else the school's contact address."""
    emails = sorted(
        User.objects.filter(schools=scan.school_id, role=Role.SCHOOL, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if emails:
        return emails
    return [scan.school.contact_email] if scan.school.contact_email else []


@shared_task(name="rounds.send_reminders")
def send_reminders(round_id: int, on: str | None = None) -> dict[str, Any]:
    """Send one reminder per not-submitted scan of an open round, never twice on one day.

    Idempotent: a school is claimed with a conditional UPDATE of `last_reminded_on` in the same
    transaction as its e-mail, so a second run on the same day (or a parallel one) sends nothing.
    """
    day = date.fromisoformat(on) if on else timezone.localdate()
    round_ = Round.objects.filter(pk=round_id, status=Round.Status.OPEN).first()
    if round_ is None:
        return {"round": round_id, "sent": 0, "skipped": "not open"}
    pending = (
        Scan.objects.filter(round=round_)
        .exclude(status=Scan.Status.SUBMITTED)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=day))
        .select_related("school")
        .order_by("pk")
    )
    sent = 0
    for scan in pending:
        to = recipients_for(scan)
        if not to:
            log.warning("No address for reminder to school %s", scan.school_id)
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
            context = {
                "round": round_,
                "school": scan.school,
                "scan": scan,
                "url": settings.SITE_URL + reverse("scans:mine"),
            }
            with translation.override("nl"):
                subject = render_to_string("rounds/email/reminder_subject.txt", context).strip()
                body = render_to_string("rounds/email/reminder.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
            sent += 1
    return {"round": round_id, "sent": sent}


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
