"""Who can be reached for a round, and the round e-mails: invitations and reminders.

"Can log in" (decision 0140): an active account with a usable password that has been set. An
account with only an open (unused, unexpired) invitation cannot log in yet; it is shown as
"uitnodiging open" and gets no round mail. Invitations and reminders go to the school team
members who can log in, never to the register's contact address: a link to a login the
addressee cannot use helps nobody.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from selfscan.accounts.models import Invitation, Role, User
from selfscan.audit.services import record
from selfscan.core.tasks import enqueue, enqueue_on_commit
from selfscan.mailings.models import SentMail
from selfscan.scans.models import Scan

from .models import Round

log = logging.getLogger(__name__)


class NotificationError(Exception):
    """A reminder or invitation cannot be sent; `str(error)` is the Dutch message."""


# --- Who can log in -------------------------------------------------------------------------


def can_log_in_q(prefix: str = "") -> Q:
    """Active, with a password that was set and is usable (Django marks unusable ones with "!").
    `prefix` is the path to the user from the queried model (e.g. `"user__"`)."""
    return (
        Q(**{f"{prefix}is_active": True})
        & ~Q(**{f"{prefix}password": ""})
        & ~Q(**{f"{prefix}password__startswith": UNUSABLE_PASSWORD_PREFIX})
    )


def can_log_in(user: User) -> bool:
    """The same rule as `can_log_in_q`, for a loaded user."""
    password = user.password or ""
    return bool(user.is_active and password and not password.startswith(UNUSABLE_PASSWORD_PREFIX))


def open_invitations(now: Any = None) -> QuerySet[Invitation]:
    return Invitation.objects.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


def team_members() -> QuerySet[User]:
    """Active school team members, annotated with `has_open_invitation`, by name."""
    return (
        User.objects.filter(role=Role.SCHOOL, is_active=True)
        .annotate(has_open_invitation=Exists(open_invitations().filter(user=OuterRef("pk"))))
        .order_by("last_name", "first_name", "email")
    )


class Access:
    """A contact person's access, as the progress page and its export say it."""

    CAN_LOG_IN = "kan inloggen"
    INVITED = "uitnodiging open"
    NONE = "geen toegang"


@dataclass(frozen=True)
class Contact:
    user_id: int
    name: str
    email: str
    access: str

    @property
    def can_log_in(self) -> bool:
        return self.access == Access.CAN_LOG_IN

    @property
    def invitation_open(self) -> bool:
        return self.access == Access.INVITED


def contact_of(user: User) -> Contact:
    """`user` must come from `team_members()` (it reads `has_open_invitation`)."""
    if can_log_in(user):
        access = Access.CAN_LOG_IN
    elif getattr(user, "has_open_invitation", False):
        access = Access.INVITED
    else:
        access = Access.NONE
    return Contact(user.pk, user.get_full_name(), user.email, access)


def login_recipients(school_ids: Iterable[int]) -> dict[int, list[User]]:
    """Per school, its team members who can log in (one query)."""
    ids = set(school_ids)
    by_school: dict[int, list[User]] = defaultdict(list)
    members = (
        User.schools.through.objects.filter(
            school_id__in=ids,
            user__role=Role.SCHOOL,
            user__in=User.objects.filter(can_log_in_q()).exclude(email=""),
        )
        .select_related("user")
        .order_by("user__email")
    )
    for link in members:
        by_school[link.school_id].append(link.user)
    return dict(by_school)


# --- Reminders ------------------------------------------------------------------------------


def pending_reminder_scans(round_: Round, day: date, scan_ids: Iterable[int] | None = None) -> Any:
    """Scans of the round that have not been submitted and have not been reminded on `day`."""
    qs = (
        Scan.objects.filter(round=round_)
        .exclude(status=Scan.Status.SUBMITTED)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=day))
    )
    if scan_ids is not None:
        qs = qs.filter(pk__in=list(scan_ids))
    return qs.select_related("school").order_by("pk")


@dataclass
class ReminderPlan:
    """What a reminder run would do now: who gets one, and who is left out and why."""

    recipients: dict[int, list[User]] = field(default_factory=dict)  # scan id -> people
    scans: list[Scan] = field(default_factory=list)
    unreachable: list[Scan] = field(default_factory=list)
    reminded_today: int = 0
    submitted: int = 0

    @property
    def schools(self) -> int:
        return len(self.recipients)

    @property
    def people(self) -> int:
        return sum(len(people) for people in self.recipients.values())


def reminder_plan(
    round_: Round, day: date | None = None, scan_ids: Iterable[int] | None = None
) -> ReminderPlan:
    """The reminders `send_reminders` would send on `day` (three queries)."""
    day = day or timezone.localdate()
    ids = list(scan_ids) if scan_ids is not None else None
    pending = list(pending_reminder_scans(round_, day, ids))
    people = login_recipients(scan.school_id for scan in pending)
    plan = ReminderPlan()
    for scan in pending:
        if people.get(scan.school_id):
            plan.recipients[scan.pk] = people[scan.school_id]
            plan.scans.append(scan)
        else:
            plan.unreachable.append(scan)
    others = Scan.objects.filter(round=round_).exclude(pk__in=[s.pk for s in pending])
    if ids is not None:
        others = others.filter(pk__in=ids)
    statuses = list(others.values_list("status", flat=True))
    plan.submitted = statuses.count(Scan.Status.SUBMITTED)
    plan.reminded_today = len(statuses) - plan.submitted
    return plan


def request_reminders(*, round_: Round, by: Any, scan: Scan | None = None) -> ReminderPlan:
    """Queue reminders for the round (or for one school's scan) after commit; returns the
    plan as it stands now, for the confirmation message. Raises NotificationError when the
    round is not open or nobody would get one."""
    from .tasks import send_reminders

    if round_.status != Round.Status.OPEN:
        raise NotificationError(_("Herinneringen kunnen alleen voor een open meetronde."))
    scan_ids = [scan.pk] if scan is not None else None
    plan = reminder_plan(round_, scan_ids=scan_ids)
    if not plan.recipients:
        if plan.reminded_today and not plan.unreachable:
            raise NotificationError(_("Vandaag is al een herinnering verstuurd."))
        raise NotificationError(_("Er is niemand die nu een herinnering kan krijgen."))
    # Sent at once (there is nothing to commit first), and audited only once it is queued: a
    # broker that is down leaves no line saying reminders were requested (decision 0170).
    if not enqueue(send_reminders, round_.pk, None, scan_ids):
        raise NotificationError(
            _(
                "De achtergronddienst is nu niet bereikbaar, dus er zijn geen herinneringen "
                "verstuurd. Probeer het over een paar minuten opnieuw."
            )
        )
    record(
        actor=by,
        action="round.reminders_requested",
        obj=round_,
        changes={"scholen": plan.schools, "personen": plan.people}
        | ({"school": scan.school.name} if scan is not None else {}),
    )
    return plan


# --- Invitations ----------------------------------------------------------------------------


def render_mail(name: str, context: dict[str, Any]) -> tuple[str, str]:
    """Subject and body of `templates/rounds/email/<name>_subject.txt` and `<name>.txt`, in
    Dutch (the schools' language), with the link to the school's scans in the context."""
    context = {**context, "url": settings.SITE_URL + reverse("scans:mine")}
    with translation.override("nl"):
        subject = render_to_string(f"rounds/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"rounds/email/{name}.txt", context)
    return subject, body


def _invitation_mail(round_: Round, scan: Scan, user: User) -> tuple[str, str]:
    return render_mail("invitation", {"round": round_, "school": scan.school, "user": user})


def send_round_invitations(round_id: int) -> dict[str, Any]:
    """E-mail every team member who can log in, of every invited school that has not
    submitted, an invitation to the open round; at most once per person and round.

    Idempotent: each mail is claimed by inserting a `SentMail` row (unique per kind, round and
    user) in the same transaction as the send, so a second or parallel run skips it, and a
    failed send rolls its claim back for the next run. A round that is not open (a concept, or
    one scheduled to open later) gets nothing yet: the run at its real opening sends."""
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None or round_.status != Round.Status.OPEN:
        return {"round": round_id, "sent": 0, "skipped": "not open"}
    scans = list(
        Scan.objects.filter(round=round_)
        .exclude(status=Scan.Status.SUBMITTED)
        .select_related("school")
        .order_by("pk")
    )
    people = login_recipients(scan.school_id for scan in scans)
    already = set(
        SentMail.objects.filter(kind=SentMail.Kind.ROUND_INVITATION, round=round_).values_list(
            "user_id", flat=True
        )
    )
    sent, schools, unreachable = 0, set(), 0
    for scan in scans:
        members = people.get(scan.school_id, [])
        if not members:
            unreachable += 1
            continue
        for user in members:
            if user.pk in already:
                continue
            try:
                with transaction.atomic():
                    SentMail.objects.create(
                        kind=SentMail.Kind.ROUND_INVITATION,
                        round=round_,
                        user=user,
                        school=scan.school,
                    )
                    subject, body = _invitation_mail(round_, scan, user)
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            except IntegrityError:
                continue  # another run claimed this person first
            already.add(user.pk)
            schools.add(scan.school_id)
            sent += 1
    if sent:
        with transaction.atomic():
            record(
                actor=None,
                action="round.invitations_sent",
                obj=round_,
                changes={"personen": sent, "scholen": len(schools), "zonder_inlog": unreachable},
            )
    return {"round": round_id, "sent": sent, "schools": len(schools), "unreachable": unreachable}


def queue_round_invitations(round_id: int) -> None:
    """Enqueue `send_round_invitations` once the current transaction commits (call it where a
    round becomes open). When the broker is down the round still opens: the hourly run
    (`rounds.send_pending_invitations`) sends the invitations then."""
    from .tasks import send_round_invitations as task

    # A broker that is down is logged by enqueue; the round still opens.
    enqueue_on_commit(task, round_id)
