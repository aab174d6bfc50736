"""Improvement action pages: thin views that ask permissions, call one service or selector and
render. Every form works without JavaScript; a conflict shows their text beside this person's."""

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
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
    in_step: bool = False,
) -> dict[str, Any]:
    """The actions of `scan` for `theme` and last round's for the same theme, with their forms
    for the school's team (the themakaart, the scan step and the action page show this).

    `in_step`: the panel on an open wizard step, whose fields and buttons belong to the step's
    form (prefixed names, `form="scan-form"`), so a panel button also posts the typed answers
    (docs/decisions/0251)."""
    user = request.user
    bound = bound or {}
    members = services.team_members(scan.school_id)
    can_edit = perms.can_edit_actions(user, scan.school_id, team=members)
    current, earlier, previous = selectors.panel_actions(user, scan, theme)
    rows = []
    for action in current:
        form = bound.get(action.pk) or ActionForm(
            initial=initial_for(action), members=members, **_form_ids("a", action.pk, in_step)
        )
        rows.append({"action": action, "form": form, "overdue": services.is_overdue(action)})
    previous_rows = [
        {
            "action": action,
            "form": bound.get(action.pk)
            or StatusForm(
                initial={"status": action.status, "version": action.version},
                **_form_ids("st", action.pk, in_step),
            ),
            "overdue": services.is_overdue(action),
        }
        for action in previous
    ]
    if in_step:
        for form in [row["form"] for row in rows + previous_rows] + [add_form]:
            if form is not None:
                in_step_form(form)
    add_form = add_form or ActionForm(members=members, **_form_ids("new", None, in_step))
    if in_step:
        in_step_form(add_form)
    return {
        "scan": scan,
        "theme": theme,
        "rows": rows,
        "previous_scan": earlier,
        "previous_rows": previous_rows,
        "can_edit": can_edit,
        "add_form": add_form,
        "conflict": conflict,
        "next": next_url or request.get_full_path(),
        "page_url": theme_url(scan, theme),
        "in_step": in_step,
        "step_form": STEP_FORM if in_step else "",
        "command": COMMAND,
    }


# --- the panel on a wizard step: its buttons post the step's form (docs/decisions/0251) ------

STEP_FORM = "scan-form"  # the id of the wizard step's <form>
COMMAND = "verbeteractie"  # the name of the panel's buttons in the step form


def _form_ids(kind: str, pk: int | None, in_step: bool) -> dict[str, Any]:
    """Names and ids of a panel form: as always on the action pages; on a wizard step prefixed
    per form (`new-what`, `a12-what`, `st12-status`), because every panel field is then part
    of the one step form."""
    if not in_step:
        legacy = {"a": f"id_a{pk}_%s", "st": f"id_s{pk}_%s", "new": "id_new_%s"}
        return {"auto_id": legacy[kind]}
    return {"prefix": f"{kind}{pk or ''}", "auto_id": "id_%s"}


def in_step_form(form: ActionForm | StatusForm) -> ActionForm | StatusForm:
    for form_field in form.fields.values():
        form_field.widget.attrs["form"] = STEP_FORM
    return form


@dataclass
class PanelOutcome:
    """What a panel button on the wizard step did: `redirect_to` when done (or to the delete
    confirmation), else the panel's bound forms to show again with the step."""

    redirect_to: str = ""
    panel: dict[str, Any] = field(default_factory=dict)


def run_panel_command(
    request: HttpRequest, scan: Scan, theme: Theme, command: str, step_url: str
) -> PanelOutcome:
    """Carry out the panel button `command` (`toevoegen`, `wijzigen-<id>`, `status-<id>`,
    `verwijderen-<id>`) posted with the wizard step, after the step saved its answers."""
    user = request.user
    if not perms.can_edit_actions(user, scan.school_id):
        raise PermissionDenied
    data = request.POST
    members = services.team_members(scan.school_id)
    if command == "toevoegen":
        add_form = ActionForm(data, members=members, **_form_ids("new", None, True))
        if add_form.is_valid():
            try:
                services.add_action(scan=scan, theme=theme, by=user, **add_form.values())
            except services.ActionError as error:
                add_form.add_error(None, str(error))
            else:
                messages.success(request, _("De verbeteractie is toegevoegd."))
                return PanelOutcome(redirect_to=step_url + "#verbeteracties")
        return PanelOutcome(panel={"add_form": add_form})
    if command == CHANGED:
        return _apply_changes(request, scan, step_url)
    kind, _sep, raw_pk = command.partition("-")
    if kind not in ("wijzigen", "status", "verwijderen") or not raw_pk.isdigit():
        raise Http404
    action = get_object_or_404(
        perms.visible_actions(user).select_related("scan__school", "theme"),
        pk=int(raw_pk),
        scan__school_id=scan.school_id,
    )
    if kind == "verwijderen":
        target = reverse("plans:delete", kwargs={"pk": action.pk})
        return PanelOutcome(redirect_to=f"{target}?{urlencode({'next': step_url})}")
    form: ActionForm | StatusForm
    if kind == "status":
        form = StatusForm(data, **_form_ids("st", action.pk, True))
    else:
        form = ActionForm(data, members=members, **_form_ids("a", action.pk, True))
    outcome = _apply_edit(request, action, form, step_url + f"#actie-{action.pk}", True)
    return outcome


CHANGED = "wijzigingen"  # not a button: fields of existing actions were changed (see below)
_PANEL_VERSION = re.compile(r"^(a|st)(\d{1,10})-version$")


def changed_actions(
    request: HttpRequest, scan: Scan
) -> list[tuple[ImprovementAction, ActionForm | StatusForm]]:
    """The existing actions whose change fields on the wizard step were posted with values that
    differ from the stored ones, each with its bound form. Enter in such a field submits the
    step with its default button ("Volgende"); the wizard then applies these changes instead
    of dropping them (docs/decisions/0252). A version that moved on while the values differ
    is left to the version check (a conflict, shown with both texts)."""
    data = request.POST
    kinds: dict[int, str] = {}
    for key in data:
        match = _PANEL_VERSION.match(key)
        if match:
            kinds[int(match.group(2))] = match.group(1)
    if not kinds or not perms.can_edit_actions(request.user, scan.school_id):
        return []
    members = services.team_members(scan.school_id)
    changed: list[tuple[ImprovementAction, ActionForm | StatusForm]] = []
    actions = perms.visible_actions(request.user).select_related("scan__school", "theme")
    for action in actions.filter(pk__in=kinds, scan__school_id=scan.school_id).order_by("pk"):
        form: ActionForm | StatusForm
        if kinds[action.pk] == "st":
            form = StatusForm(
                data,
                initial={"status": action.status, "version": action.version},
                **_form_ids("st", action.pk, True),
            )
        else:
            form = ActionForm(
                data,
                initial=initial_for(action),
                members=members,
                **_form_ids("a", action.pk, True),
            )
        if [name for name in form.changed_data if name != "version"]:
            changed.append((action, form))
    return changed


def _apply_changes(request: HttpRequest, scan: Scan, step_url: str) -> PanelOutcome:
    """Apply every changed action of `changed_actions`, each with its own version check; the
    ones that did not save (an error, a conflict) come back bound with what was typed."""
    bound: dict[int, Any] = {}
    conflict = None
    for action, form in changed_actions(request, scan):
        outcome = _apply_edit(request, action, form, "done", True)
        if not outcome.redirect_to:
            bound.update(outcome.panel.get("bound", {}))
            conflict = conflict or outcome.panel.get("conflict")
    if not bound:
        return PanelOutcome(redirect_to=step_url + "#verbeteracties")
    return PanelOutcome(panel={"bound": bound, "conflict": conflict})


def panel_as_posted(request: HttpRequest, scan: Scan, command: str) -> dict[str, Any]:
    """The panel form of `command` bound to what was posted, to show again unsaved."""
    data = request.POST
    if command == CHANGED:
        return {"bound": {action.pk: form for action, form in changed_actions(request, scan)}}
    members = services.team_members(scan.school_id)
    if command == "toevoegen":
        return {"add_form": ActionForm(data, members=members, **_form_ids("new", None, True))}
    kind, _sep, raw_pk = command.partition("-")
    if not raw_pk.isdigit() or kind not in ("wijzigen", "status"):
        return {}
    pk = int(raw_pk)
    if kind == "status":
        return {"bound": {pk: StatusForm(data, **_form_ids("st", pk, True))}}
    return {"bound": {pk: ActionForm(data, members=members, **_form_ids("a", pk, True))}}


def _apply_edit(
    request: HttpRequest,
    action: ImprovementAction,
    form: ActionForm | StatusForm,
    done_url: str,
    in_step: bool,
) -> PanelOutcome:
    """Validate `form` and save the action with its version check: done (redirect), or the
    panel's bound form, an error or the conflict to show."""
    status_only = isinstance(form, StatusForm)
    if not form.is_valid() or (not status_only and form.cleaned_data.get("version") is None):
        if form.is_bound and not form.errors:
            form.add_error(None, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
        return PanelOutcome(panel=_error_kwargs(request, action, form, in_step))
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
        return PanelOutcome(panel=_error_kwargs(request, action, form, in_step))
    if result.conflict:
        return PanelOutcome(panel=_conflict_kwargs(result.action, values, in_step))
    if result.status == "saved":
        messages.success(request, _("De verbeteractie is opgeslagen."))
    else:
        messages.info(request, _("Er was niets gewijzigd."))
    return PanelOutcome(redirect_to=done_url)


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
    form: ActionForm | StatusForm
    if request.POST.get("form") == "status":
        form = StatusForm(request.POST, auto_id=f"id_s{action.pk}_%s")
    else:
        form = ActionForm(
            request.POST,
            members=services.team_members(scan.school_id),
            auto_id=f"id_a{action.pk}_%s",
        )
    done_url = _next(request, theme_url(scan, action.theme))
    outcome = _apply_edit(request, action, form, done_url, False)
    if outcome.redirect_to:
        return redirect(outcome.redirect_to)
    return _theme_page(request, scan, action.theme, **outcome.panel)


@require(perms.is_school_user)
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an action after a confirmation page that says what will be deleted."""
    action = get_object_or_404(
        perms.visible_actions(request.user).select_related("scan__school", "scan__round", "theme"),
        pk=pk,
    )
    scan = action.scan
    if not perms.can_edit_actions(request.user, scan.school_id):
        raise PermissionDenied
    back = _next(request, theme_url(scan, action.theme))
    if request.method == "POST":
        try:
            deleted = services.delete_action(
                action=action, by=request.user, expected_version=request.POST.get("version")
            )
        except services.ActionError as error:
            messages.error(request, str(error))
        else:
            if deleted:
                messages.success(
                    request,
                    _("De verbeteractie “%(what)s” is verwijderd.") % {"what": action.what},
                )
                return redirect(back)
            action.refresh_from_db()
            messages.warning(
                request,
                _(
                    "Iemand anders heeft deze verbeteractie intussen gewijzigd; er is niets "
                    "verwijderd. Hieronder staat de actie zoals die nu is."
                ),
            )
    return render(
        request,
        "plans/delete.html",
        {"action": action, "scan": scan, "theme": action.theme, "next": back},
    )


def _error_kwargs(
    request: HttpRequest, action: ImprovementAction, form: ActionForm | StatusForm, in_step: bool
) -> dict[str, Any]:
    scan = action.scan
    if isinstance(form, StatusForm):
        # the status form of last round's action: show the action's full form on its own page
        if not in_step:
            form = ActionForm(
                initial=initial_for(action),
                members=services.team_members(scan.school_id),
                auto_id=f"id_a{action.pk}_%s",
            )
        messages.error(request, _("Kies een status: gepland, bezig, afgerond of vervallen."))
    return {"bound": {action.pk: form}}


def _conflict_kwargs(now: ImprovementAction, mine: dict[str, Any], in_step: bool) -> dict[str, Any]:
    """Someone else saved this action first: their version beside this person's, whose text
    stays in the form, now based on their version (saving again keeps this person's text)."""
    members = services.team_members(now.scan.school_id)
    data = {**initial_for(now), **mine, "version": now.version}
    data["owner"] = data.pop("owner_id", None) or ""
    data["due_on"] = data["due_on"].isoformat() if data.get("due_on") else ""
    ids = _form_ids("a", now.pk, in_step)
    if in_step:
        data = {f"{ids['prefix']}-{key}": value for key, value in data.items()}
    rebound = ActionForm(data, members=members, **ids)
    rebound.is_valid()
    names = {m.pk: m.get_full_name() or m.email for m in members}
    mine_owner = names.get(mine.get("owner_id") or 0, "") or mine.get("owner_name", "")
    plain = {**initial_for(now), **mine}
    conflict = {
        "action": now,
        "mine": {
            **plain,
            "due_on": mine.get("due_on", now.due_on),
            "owner_label": mine_owner,
            "status_label": _status_label(plain["status"]),
        },
    }
    return {"bound": {now.pk: rebound}, "conflict": conflict}


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
