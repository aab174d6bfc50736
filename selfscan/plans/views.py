"""Improvement action pages: thin views that ask permissions, call one service or selector and
render. Every form works without JavaScript; a conflict shows their text beside this person's."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from selfscan.accounts import permissions as perms
from selfscan.core.access import require
from selfscan.norms.models import Theme
from selfscan.organisations.models import School
from selfscan.scans.models import Scan

from . import selectors, services
from .forms import ActionForm, StatusForm, initial_for
from .models import ImprovementAction


def _scan_theme(request: HttpRequest, scan_id: int, theme_id: int) -> tuple[Scan, Theme]:
    scan = get_object_or_404(
        perms.visible_scans(request.user).select_related("round", "school", "norm_version"),
        pk=scan_id,
    )
    theme = get_object_or_404(Theme, pk=theme_id, version_id=scan.norm_version_id)
    return scan, theme


def _next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def theme_url(scan: Scan, theme: Theme) -> str:
    return reverse("plans:theme", kwargs={"scan_id": scan.pk, "theme_id": theme.pk})


def panel_context(
    request: HttpRequest,
    scan: Scan,
    theme: Theme,
    *,
    bound: dict[int, Any] | None = None,
    add_form: ActionForm | None = None,
    conflict: dict[str, Any] | None = None,
    next_url: str | None = None,
) -> dict[str, Any]:
    """The actions of `scan` for `theme` and last round's for the same theme, with their forms
    for the school's team (the themakaart, the scan step and the action page show this)."""
    user = request.user
    bound = bound or {}
    members = services.team_members(scan.school_id)
    can_edit = perms.can_edit_actions(user, scan.school_id, team=members)
    current, earlier, previous = selectors.panel_actions(user, scan, theme)
    rows = []
    for action in current:
        form = bound.get(action.pk) or ActionForm(
            initial=initial_for(action), members=members, auto_id=f"id_a{action.pk}_%s"
        )
        rows.append({"action": action, "form": form, "overdue": services.is_overdue(action)})
    previous_rows = [
        {
            "action": action,
            "form": bound.get(action.pk)
            or StatusForm(
                initial={"status": action.status, "version": action.version},
                auto_id=f"id_s{action.pk}_%s",
            ),
            "overdue": services.is_overdue(action),
        }
        for action in previous
    ]
    return {
        "scan": scan,
        "theme": theme,
        "rows": rows,
        "previous_scan": earlier,
        "previous_rows": previous_rows,
        "can_edit": can_edit,
        "add_form": add_form or ActionForm(members=members, auto_id="id_new_%s"),
        "conflict": conflict,
        "next": next_url or request.get_full_path(),
        "page_url": theme_url(scan, theme),
    }


def _theme_page(request: HttpRequest, scan: Scan, theme: Theme, **kwargs: Any) -> HttpResponse:
    plans = panel_context(request, scan, theme, next_url=_next(request, ""), **kwargs)
    if not plans["next"]:
        plans["next"] = theme_url(scan, theme)
    return render(
        request,
        "plans/theme.html",
        {"plans": plans, "scan": scan, "theme": theme, "on_page": True},
    )


@require(perms.can_view_action_pages)
def theme(request: HttpRequest, scan_id: int, theme_id: int) -> HttpResponse:
    scan, theme_ = _scan_theme(request, scan_id, theme_id)
    return _theme_page(request, scan, theme_)


@require(perms.is_school_user)
@require_POST
def add(request: HttpRequest, scan_id: int, theme_id: int) -> HttpResponse:
    scan, theme_ = _scan_theme(request, scan_id, theme_id)
    if not perms.can_edit_actions(request.user, scan.school_id):
        return _theme_page(request, scan, theme_)
    form = ActionForm(
        request.POST, members=services.team_members(scan.school_id), auto_id="id_new_%s"
    )
    if form.is_valid():
        try:
            services.add_action(scan=scan, theme=theme_, by=request.user, **form.values())
        except services.ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De verbeteractie is toegevoegd."))
            return redirect(_next(request, theme_url(scan, theme_)))
    return _theme_page(request, scan, theme_, add_form=form)


@require(perms.is_school_user)
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        perms.visible_actions(request.user).select_related("scan__school", "theme"), pk=pk
    )
    scan = get_object_or_404(
        perms.visible_scans(request.user).select_related("round", "school", "norm_version"),
        pk=action.scan_id,
    )
    if not perms.can_edit_actions(request.user, scan.school_id):
        return _theme_page(request, scan, action.theme)
    status_only = request.POST.get("form") == "status"
    form: ActionForm | StatusForm
    if status_only:
        form = StatusForm(request.POST, auto_id=f"id_s{action.pk}_%s")
    else:
        form = ActionForm(
            request.POST,
            members=services.team_members(scan.school_id),
            auto_id=f"id_a{action.pk}_%s",
        )
    if not form.is_valid() or (not status_only and form.cleaned_data.get("version") is None):
        if form.is_bound and not form.errors:
            form.add_error(None, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
        return _error_page(request, action, form)
    values = (
        {"status": form.cleaned_data["status"]} if isinstance(form, StatusForm) else form.values()
    )
    try:
        result = services.update_action(
            action=action,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **values,
        )
    except services.ActionError as error:
        form.add_error(None, str(error))
        return _error_page(request, action, form)
    if result.conflict:
        return _conflict_page(request, result.action, form, values)
    if result.status == "saved":
        messages.success(request, _("De verbeteractie is opgeslagen."))
    else:
        messages.info(request, _("Er was niets gewijzigd."))
    return redirect(_next(request, theme_url(scan, action.theme)))


def _error_page(
    request: HttpRequest, action: ImprovementAction, form: ActionForm | StatusForm
) -> HttpResponse:
    scan, theme_ = action.scan, action.theme
    if isinstance(form, StatusForm):
        # the status form of last round's action: show the action's full form on its own page
        form = ActionForm(
            initial=initial_for(action),
            members=services.team_members(scan.school_id),
            auto_id=f"id_a{action.pk}_%s",
        )
        messages.error(request, _("Kies een status: gepland, bezig, afgerond of vervallen."))
    return _theme_page(request, scan, theme_, bound={action.pk: form})


def _conflict_page(
    request: HttpRequest,
    now: ImprovementAction,
    form: ActionForm | StatusForm,
    mine: dict[str, Any],
) -> HttpResponse:
    """Someone else saved this action first: their version beside this person's, whose text
    stays in the form, now based on their version (saving again keeps this person's text)."""
    members = services.team_members(now.scan.school_id)
    data = {**initial_for(now), **mine, "version": now.version}
    data["owner"] = data.pop("owner_id", None) or ""
    data["due_on"] = data["due_on"].isoformat() if data.get("due_on") else ""
    rebound = ActionForm(data, members=members, auto_id=f"id_a{now.pk}_%s")
    rebound.is_valid()
    names = {m.pk: m.get_full_name() or m.email for m in members}
    mine_owner = names.get(mine.get("owner_id") or 0, "") or mine.get("owner_name", "")
    conflict = {
        "action": now,
        "mine": {
            **data,
            "due_on": mine.get("due_on", now.due_on),
            "owner_label": mine_owner,
            "status_label": _status_label(data["status"]),
        },
    }
    scan = get_object_or_404(
        perms.visible_scans(request.user).select_related("round", "school", "norm_version"),
        pk=now.scan_id,
    )
    return _theme_page(request, scan, now.theme, bound={now.pk: rebound}, conflict=conflict)


def _status_label(code: str) -> str:
    return str(dict(ImprovementAction.Status.choices).get(code, code))


@require(perms.can_view_action_pages)
def school(request: HttpRequest, school_id: int) -> HttpResponse:
    school_ = get_object_or_404(perms.visible_schools(request.user), pk=school_id)
    return render(
        request,
        "plans/school.html",
        {
            "school": school_,
            "groups": selectors.school_overview(request.user, school_),
            "can_edit": perms.can_edit_actions(request.user, school_.pk),
        },
    )


@require(perms.can_view_action_counts)
def board(request: HttpRequest, bestuur_id: int) -> HttpResponse:
    bestuur = get_object_or_404(perms.visible_besturen(request.user), pk=bestuur_id)
    try:
        round_id = int(request.GET.get("ronde", ""))
    except ValueError:
        round_id = None
    counts = selectors.board_counts(request.user, bestuur, round_id)
    return render(
        request,
        "plans/board.html",
        {"bestuur": bestuur, "counts": counts, "statuses": selectors.STATUSES},
    )


@require(perms.can_view_action_pages)
def index(request: HttpRequest) -> HttpResponse:
    schools = perms.visible_schools(request.user).order_by("name")
    besturen = perms.visible_besturen(request.user).order_by("name")
    if perms.is_school_user(request.user) and schools.count() == 1:
        only = schools.first()
        assert isinstance(only, School)
        return redirect("plans:school", school_id=only.pk)
    return render(
        request,
        "plans/index.html",
        {
            "schools": schools,
            "besturen": besturen if perms.can_view_action_counts(request.user) else [],
        },
    )
