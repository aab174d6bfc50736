"""Views for measurement rounds (staff) and the progress screen (staff and board staff)."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from selfscan.accounts import permissions as perms
from selfscan.core.access import require
from selfscan.scans import services as scan_services
from selfscan.scans.models import Scan

from . import consequences, selectors, services
from .forms import ExtendForm, ProgressFilterForm, ReopenForm, RoundForm, RoundReopenForm
from .models import Round


@require(perms.can_view_progress)
def round_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rounds/list.html",
        {
            "rounds": selectors.rounds_for(request.user),
            "can_manage": perms.can_manage_rounds(request.user),
        },
    )


@require(perms.can_view_progress)
def latest_progress(request: HttpRequest) -> HttpResponse:
    """The progress of the most recent round that has opened."""
    latest = selectors.rounds_for(request.user).exclude(status__in=selectors.NOT_OPENED).first()
    if latest is None:
        return redirect("rounds:list")
    return redirect("rounds:progress", pk=latest.pk)


def _edit(request: HttpRequest, round_: Round | None) -> HttpResponse:
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.EDITABLE_FIELDS}
        try:
            saved = services.save_round(
                round_=round_,
                by=request.user,
                data=data,
                invited=list(form.cleaned_data["invited_schools"]),
            )
        except services.RoundError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De meetronde is opgeslagen."))
            return redirect("rounds:detail", pk=saved.pk)
    return render(request, "rounds/form.html", {"form": form, "round": round_})


@require(perms.can_manage_rounds)
def create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@require(perms.can_manage_rounds)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    if round_.status != Round.Status.DRAFT:
        messages.error(request, _("Alleen een meetronde in concept kan worden gewijzigd."))
        return redirect("rounds:detail", pk=pk)
    return _edit(request, round_)


@require(perms.can_manage_rounds)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(selectors.rounds_for(request.user), pk=pk)
    return render(
        request,
        "rounds/detail.html",
        {
            "round": round_,
            "invited": round_.invited_schools.select_related("bestuur").order_by("name"),
            "extend_form": ExtendForm(initial={"closes_on": round_.closes_on}),
            "overdue": round_.status == Round.Status.SCHEDULED
            and round_.opens_on < timezone.localdate(),
        },
    )


def _action(request: HttpRequest, pk: int, fn: Any, done: Any, **extra: Any) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    try:
        fn(round_=round_, by=request.user, **extra)
    except services.RoundError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done(round_) if callable(done) else done)
    return redirect("rounds:detail", pk=pk)


def _opened_message(round_: Round) -> str:
    if round_.status == Round.Status.SCHEDULED:
        return _("De meetronde is gepland en opent vanzelf op %(date)s.") % {
            "date": date_format(round_.opens_on, "DATE_FORMAT")
        }
    return _("De meetronde is geopend.")


CONFIRM = "confirm"


def _confirmed_step(
    request: HttpRequest,
    pk: int,
    *,
    template: str,
    context: Any,
    fn: Any,
    done: Any,
    step: str,
    allowed: str,
) -> HttpResponse:
    """A step that changes what others can do: GET shows its consequences in numbers, a POST
    acts only with the confirmation field of that page; any other POST (an old form, a
    script) changes nothing and is sent to the confirmation page."""
    round_ = get_object_or_404(Round, pk=pk)
    if request.method == "POST":
        if request.POST.get(CONFIRM) != step:
            return redirect(request.path)
        return _action(request, pk, fn, done)
    return render(
        request,
        template,
        {"round": round_, "confirm": step, "allowed": round_.status == allowed, **context(round_)},
    )


@require(perms.can_manage_rounds)
def open_round(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_step(
        request,
        pk,
        template="rounds/confirm_open.html",
        context=lambda r: {"facts": consequences.opening(r)},
        fn=services.open_round,
        done=_opened_message,
        step="open",
        allowed=Round.Status.DRAFT,
    )


@require(perms.can_manage_rounds)
def close_round(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_step(
        request,
        pk,
        template="rounds/confirm_close.html",
        context=lambda r: {"facts": consequences.closing(r)},
        fn=services.close_round,
        done=_("De meetronde is gesloten."),
        step="close",
        allowed=Round.Status.OPEN,
    )


@require(perms.can_manage_rounds)
def publish_round(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_step(
        request,
        pk,
        template="rounds/confirm_publish.html",
        context=lambda r: {"facts": consequences.publishing(r)},
        fn=services.publish_round,
        done=_("De meetronde is gepubliceerd."),
        step="publish",
        allowed=Round.Status.CLOSED,
    )


@require(perms.can_manage_rounds)
def reopen_round(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a closed round: a new closing date and a reason the schools see."""
    round_ = get_object_or_404(Round, pk=pk)
    form = RoundReopenForm(request.POST or None)
    if request.method == "POST" and request.POST.get(CONFIRM) != "reopen":
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_round(
                round_=round_,
                by=request.user,
                closes_on=form.cleaned_data["closes_on"],
                reason=form.cleaned_data["reason"],
            )
        except services.RoundError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De meetronde is heropend; de scholen zien de reden."))
            return redirect("rounds:detail", pk=pk)
    return render(
        request,
        "rounds/confirm_reopen.html",
        {
            "round": round_,
            "form": form,
            "facts": consequences.closing(round_),
            "confirm": "reopen",
            "allowed": round_.status == Round.Status.CLOSED,
        },
    )


@require(perms.can_manage_rounds)
@require_POST
def extend_round(request: HttpRequest, pk: int) -> HttpResponse:
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul een geldige datum in."))
        return redirect("rounds:detail", pk=pk)
    return _action(
        request,
        pk,
        services.extend_round,
        _("De sluitingsdatum is aangepast."),
        closes_on=form.cleaned_data["closes_on"],
        reason=form.cleaned_data["reason"],
    )


PROGRESS_PAGE_SIZE = 50  # ~90 kB of HTML with two contact people per school (issue 18)


def _missing_page(asked: str | None, shown: int) -> str:
    """The asked page number (at most 20 characters) when another page is shown instead."""
    if not asked or (asked.strip().isdigit() and int(asked) == shown):
        return ""
    return asked[:20]


@require(perms.can_view_progress)
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(selectors.visible_rounds(request.user), pk=pk)
    wijken, besturen = selectors.filter_options(request.user, round_)
    form = ProgressFilterForm(request.GET or None, wijken=wijken, besturen=besturen)
    filters = form.filters()
    show_contacts = perms.can_view_school_contacts(request.user)
    # One page of rows, loaded and rendered (7,000 schools on one page were 1.2 MB and took
    # seconds; 100 rows were 172 kB); the counts, the filters, the search and the export
    # still cover every school.
    asked = request.GET.get("pagina")
    progress, page = selectors.progress_page(
        request.user,
        round_,
        filters,
        asked,
        per_page=PROGRESS_PAGE_SIZE,
        with_contacts=show_contacts,
    )
    form.show_counts(progress.status_counts)
    page_query = request.GET.copy()
    page_query.pop("pagina", None)
    return render(
        request,
        "rounds/progress.html",
        {
            "round": round_,
            "form": form,
            "progress": progress,
            "page": page,
            "page_query": page_query.urlencode(),
            "page_fields": [(k, v) for k in page_query for v in page_query.getlist(k)],
            "page_missing": _missing_page(asked, page.number),
            "narrowed": bool(filters.get("status") or filters.get("q") or filters.get("login")),
            "can_manage": perms.can_manage_rounds(request.user),
            "show_contacts": show_contacts,
            "can_invite": perms.can_manage_users(request.user),
            "query": page_query.urlencode(),  # the export: every matching school, not a page
        },
    )


@require(perms.can_manage_rounds)
def reopen_scan(request: HttpRequest, pk: int) -> HttpResponse:
    scan = get_object_or_404(Scan.objects.select_related("round", "school"), pk=pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scan_services.reopen_scan(
                scan=scan, by=request.user, reason=form.cleaned_data["reason"]
            )
        except scan_services.ScanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De zelfscan is heropend; de school ziet de reden."))
            return redirect("rounds:progress", pk=scan.round_id)
    return render(request, "rounds/reopen.html", {"form": form, "scan": scan})
