"""Pages of team perspectives. Thin: ask `selfscan.accounts.permissions`, call one service or
selector, render.

A member's own answers use the wizard's step form (`scans.forms.ThemeStepForm`) and autosave
script (`static/js/scan.js`, pointed at this app's save URL), so they save, resume and protect
against a second tab exactly as the school's answers do. The comparison page fixes the school
answers through `scans.services.save_step`.
"""

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from selfscan.accounts import permissions as perms
from selfscan.core.access import require
from selfscan.norms.models import NVT_CODE
from selfscan.rounds.models import Round
from selfscan.scans import selectors as scan_selectors
from selfscan.scans import services as scan_services
from selfscan.scans.forms import ThemeStepForm
from selfscan.scans.models import Scan
from selfscan.scans.views import _js_messages, _scale_labels, json_session, reflection_context

from . import selectors, services
from .models import TeamPerspective
from .rules import functions


def _team_scan(request: HttpRequest, pk: int) -> Scan:
    """The scan when the user is on its school's team and its round uses team perspectives;
    404 otherwise (existence not revealed)."""
    scan = get_object_or_404(
        perms.visible_scans(request.user).select_related("round", "school", "norm_version"),
        pk=pk,
    )
    if not perms.can_use_team_perspectives(request.user, scan):
        raise Http404
    return scan


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require(perms.is_school_user)
def team(request: HttpRequest, pk: int) -> HttpResponse:
    scan = _team_scan(request, pk)
    outline = scan_selectors.scan_outline(scan)
    mine = selectors.perspective_for(scan, request.user)
    return render(
        request,
        "perspectives/team.html",
        {
            "scan": scan,
            "outline": outline,
            "mine": mine,
            "members": selectors.team_status(scan),
            "functions": functions(),
            "locked": scan_services.locked_reason(scan),
        },
    )


@require(perms.is_school_user)
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    scan = _team_scan(request, pk)
    try:
        services.start_perspective(
            scan=scan, user=request.user, function=request.POST.get("function", "")
        )
    except scan_services.ScanError as error:
        messages.error(request, str(error))
        return redirect("perspectives:team", pk=scan.pk)
    return redirect("perspectives:resume", pk=scan.pk)


def _my_perspective(request: HttpRequest, scan: Scan) -> TeamPerspective | None:
    perspective = selectors.perspective_for(scan, request.user)
    if perspective is not None:
        perspective.scan = scan
    return perspective


@require(perms.is_school_user)
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    scan = _team_scan(request, pk)
    perspective = _my_perspective(request, scan)
    if perspective is None:
        messages.info(request, _("Kies eerst uw functie in het team."))
        return redirect("perspectives:team", pk=scan.pk)
    codes = scan_selectors.scan_outline(scan).codes
    if not codes:
        raise Http404
    target = perspective.current_step if perspective.current_step in codes else codes[0]
    return redirect("perspectives:step", pk=scan.pk, step=target)


def _rows(
    statements: list[Any],
    stored: dict[int, Any],
    form: ThemeStepForm,
    conflicts: dict[int, Any],
    labels: dict[str, str],
    prefill: dict[int, str] | None = None,
) -> list[dict[str, Any]]:
    """What each statement's fieldset shows: the posted values on a re-shown form, else the
    stored answer (or, on the comparison page, the median as a proposal)."""
    bound, data = form.is_bound, form.data
    rows = []
    for st in statements:
        p = f"s{st.pk}"
        conflict = st.pk in conflicts
        theirs = conflicts.get(st.pk) if conflict else None
        answer = theirs if conflict else stored.get(st.pk)
        loaded = {
            "value": answer.value if answer else "",
            "comment": answer.comment if answer else "",
            "nvt": answer.nvt_explanation if answer else "",
            "version": answer.version if answer else 0,
        }
        if bound and not conflict and f"{p}-loaded-value" in data:
            loaded = {
                "value": data.get(f"{p}-loaded-value", ""),
                "comment": data.get(f"{p}-loaded-comment", ""),
                "nvt": data.get(f"{p}-loaded-nvt", ""),
                "version": _int(data.get(f"{p}-version")) or 0,
            }
        proposal = ""
        if bound:
            value = str(data.get(f"{p}-value", ""))
        else:
            value = str(loaded["value"])
            if not value and prefill and prefill.get(st.pk):
                value = proposal = prefill[st.pk]
        rows.append(
            {
                "statement": st,
                "prefix": p,
                "value": value,
                "proposal": labels.get(proposal, proposal) if proposal else "",
                "comment": data.get(f"{p}-comment", "") if bound else loaded["comment"],
                "nvt": data.get(f"{p}-nvt", "") if bound else loaded["nvt"],
                "version": loaded["version"],
                "loaded": loaded,
                "errors": [
                    e
                    for key in ("value", "comment", "nvt", "version")
                    for e in form.errors.get(f"{p}-{key}", [])
                ],
                "conflict": conflict,
                "theirs": theirs,
                "theirs_label": labels.get(theirs.value, theirs.value)
                if theirs and theirs.value
                else _("(leeg)"),
                "mine_label": labels.get(value, value) if value else _("(leeg)"),
            }
        )
    return rows


@require(perms.is_school_user)
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One theme of the member's own answers; "Volgende" saves the theme (without JavaScript)."""
    scan = _team_scan(request, pk)
    perspective = _my_perspective(request, scan)
    if perspective is None:
        return redirect("perspectives:team", pk=scan.pk)
    outline = scan_selectors.scan_outline(scan)
    theme_step = outline.step(step)
    if theme_step is None:
        raise Http404
    locked = scan_services.locked_reason(scan)
    kwargs: dict[str, Any] = {"statements": theme_step.statements, "scale": outline.scale}
    conflicts: dict[int, Any] = {}
    if request.method == "POST":
        form = ThemeStepForm(request.POST, **kwargs)
        if locked:
            messages.error(request, locked)
            return redirect("perspectives:team", pk=scan.pk)
        if form.is_valid():
            try:
                outcome = services.save_individual_step(
                    perspective=perspective, entries=form.entries()
                )
            except scan_services.ScanError as error:
                messages.error(request, str(error))
            else:
                conflicts = outcome.conflicts
                if not conflicts:
                    return _next(request, scan, perspective, outline.codes, step)
    else:
        form = ThemeStepForm(**kwargs)
    index = outline.codes.index(step)
    answers = selectors.individual_answers(perspective)
    mine = {st.pk: answers.get(st.pk) for st in theme_step.statements}
    answered = sum(1 for a in answers.values() if a.value)
    return render(
        request,
        "perspectives/step.html",
        {
            "scan": scan,
            "perspective": perspective,
            "outline": outline,
            "step": theme_step,
            "rows": _rows(theme_step.statements, mine, form, conflicts, _scale_labels(scan)),
            "levels": outline.scale,
            "nvt_code": NVT_CODE,
            "nvt_label": scan.norm_version.nvt_label,
            "locked": locked,
            "has_conflicts": bool(conflicts),
            "prev_step": outline.codes[index - 1] if index > 0 else "",
            "next_step": outline.codes[index + 1] if index + 1 < len(outline.codes) else "",
            "step_number": index + 1,
            "answered": answered,
            "js_messages": json.dumps(_js_messages()),
            "save_url": reverse("perspectives:save", kwargs={"pk": scan.pk}),
            "store_key": f"p{perspective.pk}",
        },
    )


def _next(
    request: HttpRequest, scan: Scan, perspective: TeamPerspective, codes: list[str], step: str
) -> HttpResponse:
    goto = request.POST.get("goto", "")
    if goto in codes:
        target = goto
    elif step == codes[-1] or goto == "team":
        services.set_step(perspective=perspective, step=step)
        messages.success(request, _("Uw antwoorden zijn opgeslagen."))
        return redirect("perspectives:team", pk=scan.pk)
    else:
        target = codes[codes.index(step) + 1]
    services.set_step(perspective=perspective, step=target)
    return redirect("perspectives:step", pk=scan.pk, step=target)


@json_session
@require(perms.is_school_user)
@require_POST
def save(request: HttpRequest, pk: int) -> JsonResponse:
    """Autosave one of the member's own answers; the JSON scan.js expects."""
    scan = _team_scan(request, pk)
    perspective = _my_perspective(request, scan)
    if perspective is None:
        return JsonResponse({"ok": False, "message": _("Kies eerst uw functie.")}, status=400)
    data = request.POST
    try:
        result = services.save_individual_answer(
            perspective=perspective,
            statement_id=data.get("statement"),
            value=data.get("value", ""),
            comment=data.get("comment", ""),
            nvt_explanation=data.get("nvt_explanation", ""),
            expected_version=data.get("version"),
            base={k: data.get(f"base_{k}", "") for k in services.FIELDS}
            if "base_value" in data
            else None,
        )
    except scan_services.ScanError as error:
        return JsonResponse({"ok": False, "message": str(error)}, status=400)
    answer = result.answer
    labels = _scale_labels(scan)
    theirs = {
        "value": answer.value if answer else "",
        "label": labels.get(answer.value, answer.value) if answer and answer.value else "",
        "comment": answer.comment if answer else "",
        "nvt_explanation": answer.nvt_explanation if answer else "",
        "version": answer.version if answer else 0,
    }
    if result.conflict:
        return JsonResponse(
            {
                "ok": False,
                "conflict": True,
                "message": _(
                    "U heeft deze stelling intussen elders (in een ander venster of apparaat) "
                    "beantwoord met “%(label)s”. Kies welk antwoord blijft."
                )
                % {"label": theirs["label"] or _("(leeg)")},
                "theirs": theirs,
                "version": theirs["version"],
            },
            status=409,
        )
    if answer is None:
        theirs["version"] = _int(data.get("version")) or 0
    return JsonResponse(
        {
            "ok": True,
            "message": _("Opgeslagen"),
            "version": theirs["version"],
            "saved": {k: theirs[k] for k in services.FIELDS} if answer else None,
        }
    )


@require(perms.is_school_user)
@require_POST
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    scan = _team_scan(request, pk)
    perspective = _my_perspective(request, scan)
    if perspective is None:
        return redirect("perspectives:team", pk=scan.pk)
    try:
        services.finish_perspective(perspective=perspective)
    except scan_services.ScanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("U heeft uw eigen antwoorden klaar gemeld. Dank u wel!"))
    return redirect("perspectives:team", pk=scan.pk)


@require(perms.is_school_user)
def compare(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One theme: the team's answers side by side, and the school answers to fix."""
    scan = _team_scan(request, pk)
    outline = scan_selectors.scan_outline(scan, with_answers=True)
    theme_step = outline.step(step)
    if theme_step is None:
        raise Http404
    locked = scan_services.locked_reason(scan)
    kwargs: dict[str, Any] = {"statements": theme_step.statements, "scale": outline.scale}
    conflicts: dict[int, Any] = {}
    reflection_conflict, reflection_now = False, None
    if request.method == "POST":
        if locked:
            messages.error(request, locked)
            return redirect("perspectives:team", pk=scan.pk)
        form = ThemeStepForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                outcome = services.fix_school_answers(
                    scan=scan,
                    by=request.user,
                    entries=form.entries(),
                    reflection=_posted_reflection(form, theme_step.theme),
                )
            except scan_services.ScanError as error:
                messages.error(request, str(error))
            else:
                conflicts = outcome.conflicts
                reflection_conflict = outcome.reflection_conflict
                reflection_now = outcome.reflection
                if not conflicts and not reflection_conflict:
                    messages.success(
                        request, _("De schoolantwoorden van dit thema zijn opgeslagen.")
                    )
                    codes = outline.codes
                    goto = request.POST.get("goto", "")
                    if goto in codes:
                        return redirect("perspectives:compare", pk=scan.pk, step=goto)
                    return redirect("perspectives:compare", pk=scan.pk, step=step)
    else:
        form = ThemeStepForm(**kwargs)
    compared = selectors.comparison(scan, theme_step.theme)
    prefill = {item.statement.pk: item.prefill for item in compared.statements}
    rows = _rows(
        theme_step.statements, outline.answers, form, conflicts, _scale_labels(scan), prefill
    )
    index = outline.codes.index(step)
    return render(
        request,
        "perspectives/compare.html",
        {
            "scan": scan,
            "outline": outline,
            "step": theme_step,
            "items": list(zip(compared.statements, rows, strict=True)),
            "rows": rows,
            "compared": compared,
            "levels": outline.scale,
            "nvt_code": NVT_CODE,
            "nvt_label": scan.norm_version.nvt_label,
            "locked": locked,
            "has_conflicts": bool(conflicts),
            **reflection_context(
                scan,
                theme_step.theme,
                form,
                conflict=reflection_conflict,
                now=reflection_now,
                legend=_("Reflectie van de school"),
                conflict_message=_(
                    "%(who)s heeft de reflectie intussen gewijzigd. Hun tekst staat hieronder; "
                    "uw tekst staat in het veld. Pas uw tekst zo nodig aan en klik opnieuw op "
                    "Schoolantwoorden opslaan: dan wordt uw tekst opgeslagen."
                ),
            ),
            "prev_step": outline.codes[index - 1] if index > 0 else "",
            "next_step": outline.codes[index + 1] if index + 1 < len(outline.codes) else "",
            "js_messages": json.dumps(_js_messages()),
            "save_url": reverse("scans:save", kwargs={"pk": scan.pk}),
            "store_key": f"c{scan.pk}",
        },
    )


def _posted_reflection(form: ThemeStepForm, theme: Any) -> dict[str, Any] | None:
    """The theme's reflection as the wizard step posts it (docs/decisions/0253); None when the
    form had no reflection field (then the stored reflection is left alone)."""
    if "reflection" not in form.data:
        return None
    return {
        "theme_id": theme.pk,
        "reflection": form.cleaned_data.get("reflection") or "",
        "expected_version": form.cleaned_data.get("reflection-version") or 0,
        "base": form.reflection_base(),
    }


@require(perms.can_view_spread_indicators)
def spread_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "perspectives/spread_index.html",
        {"rounds": selectors.rounds_with_perspectives(request.user)},
    )


@require(perms.can_view_spread_indicators)
def spread(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = get_object_or_404(selectors.rounds_with_perspectives(request.user), pk=round_pk)
    assert isinstance(round_, Round)
    return render(
        request,
        "perspectives/spread.html",
        {"result": selectors.spread_indicators(request.user, round_)},
    )
