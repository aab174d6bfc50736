"""Reaching schools from the progress page: reminder confirmation (GET shows what will be sent,
POST sends), a reminder to one school, inviting a school's contact address or a team member
again, and the progress list with contact people as CSV or XLSX."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from selfscan.accounts import permissions as perms
from selfscan.accounts import services as account_services
from selfscan.accounts.models import Role, User
from selfscan.core.access import require
from selfscan.exports.views import CONTENT_TYPES
from selfscan.scans.models import Scan

from . import notifications, progress_export, selectors
from .forms import ProgressFilterForm
from .models import Round

# The progress list is a table: CSV or XLSX only (the export jobs also serve PDF files).
PROGRESS_FORMATS = ("csv", "xlsx")


def plan_summary(plan: notifications.ReminderPlan) -> list[str]:
    """The confirmation's sentences, e.g. "41 scholen, 57 personen krijgen een herinnering."."""
    schools = ngettext("%(n)d school", "%(n)d scholen", plan.schools) % {"n": plan.schools}
    people = ngettext("%(n)d persoon", "%(n)d personen", plan.people) % {"n": plan.people}
    if plan.people:
        lines = [
            _("%(schools)s, %(people)s krijgen een herinnering.")
            % {"schools": schools, "people": people}
        ]
    else:
        lines = [_("Niemand krijgt nu een herinnering.")]
    if plan.unreachable:
        n = len(plan.unreachable)
        lines.append(
            ngettext(
                "%(n)d school heeft niemand die kan inloggen en krijgt niets.",
                "%(n)d scholen hebben niemand die kan inloggen en krijgen niets.",
                n,
            )
            % {"n": n}
        )
    if plan.reminded_today:
        lines.append(
            ngettext(
                "%(n)d school kreeg vandaag al een herinnering.",
                "%(n)d scholen kregen vandaag al een herinnering.",
                plan.reminded_today,
            )
            % {"n": plan.reminded_today}
        )
    return lines


def _confirm(request: HttpRequest, round_: Round, scan: Scan | None) -> HttpResponse:
    back = (
        redirect("rounds:progress", pk=round_.pk) if scan else redirect("rounds:detail", round_.pk)
    )
    if request.method == "POST":
        try:
            notifications.request_reminders(round_=round_, by=request.user, scan=scan)
        except notifications.NotificationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("De herinneringen worden verstuurd."))
        return back
    plan = notifications.reminder_plan(round_, scan_ids=[scan.pk] if scan else None)
    return render(
        request,
        "rounds/remind.html",
        {
            "round": round_,
            "scan": scan,
            "plan": plan,
            "summary": plan_summary(plan),
            "recipients": [(s, plan.recipients[s.pk]) for s in plan.scans],
            "back_url": back.url,
        },
    )


@require(perms.can_manage_rounds)
@require_http_methods(["GET", "POST"])
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Reminders to every school that has not submitted: confirm, then send."""
    round_ = get_object_or_404(Round, pk=pk)
    if round_.status != Round.Status.OPEN:
        messages.error(request, _("Herinneringen kunnen alleen voor een open meetronde."))
        return redirect("rounds:detail", pk=pk)
    return _confirm(request, round_, None)


@require(perms.can_manage_rounds)
@require_http_methods(["GET", "POST"])
def remind_school(request: HttpRequest, pk: int) -> HttpResponse:
    """A reminder to one school (its scan `pk`): confirm, then send."""
    scan = get_object_or_404(Scan.objects.select_related("round", "school"), pk=pk)
    if scan.round.status != Round.Status.OPEN:
        messages.error(request, _("Herinneringen kunnen alleen voor een open meetronde."))
        return redirect("rounds:progress", pk=scan.round_id)
    return _confirm(request, scan.round, scan)


@require(perms.can_manage_users)
@require_POST
def invite_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the school's register contact address as a team member (decision 0021's flow)."""
    scan = get_object_or_404(Scan.objects.select_related("school"), pk=pk)
    email = (scan.school.contact_email or "").lower()
    if not email:
        messages.error(request, _("Deze school heeft geen contactadres in het register."))
    elif User.objects.filter(email=email).exists():
        messages.error(
            request,
            _("Er is al een account voor %(email)s; koppel het via Gebruikers.") % {"email": email},
        )
    else:
        account_services.invite_user(
            email=email, role=Role.SCHOOL, schools=[scan.school], actor=request.user
        )
        messages.success(request, _("Uitnodiging verstuurd naar %(email)s.") % {"email": email})
    return redirect("rounds:progress", pk=scan.round_id)


@require(perms.can_manage_users)
@require_POST
def reinvite_member(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """A new account invitation for a team member of the scan's school who cannot log in."""
    scan = get_object_or_404(Scan, pk=pk)
    target = get_object_or_404(
        perms.visible_users(request.user).filter(schools=scan.school_id, role=Role.SCHOOL),
        pk=user_pk,
    )
    if notifications.can_log_in(target):
        messages.error(request, _("%(email)s kan al inloggen.") % {"email": target.email})
    elif not perms.can_change_user(request.user, target):
        messages.error(request, _("U mag dit account niet wijzigen."))
    else:
        account_services.create_invitation(user=target, actor=request.user)
        messages.success(
            request, _("Nieuwe uitnodiging verstuurd naar %(email)s.") % {"email": target.email}
        )
    return redirect("rounds:progress", pk=scan.round_id)


@require(perms.can_view_school_contacts)
def export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The progress list under the page's filters, one row per contact person."""
    if file_format not in PROGRESS_FORMATS:
        raise Http404
    round_ = get_object_or_404(selectors.visible_rounds(request.user), pk=pk)
    wijken, besturen = selectors.filter_options(request.user, round_)
    form = ProgressFilterForm(request.GET or None, wijken=wijken, besturen=besturen)
    rows = selectors.progress(request.user, round_, form.filters(), with_contacts=True).rows
    content = progress_export.build(rows, file_format)
    name = f"voortgang-ronde{round_.pk}-{timezone.localdate().isoformat()}.{file_format}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
