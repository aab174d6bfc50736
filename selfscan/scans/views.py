"""Views of the zelfscan for school teams. Thin: permissions, one service or selector, render.

The wizard is a formtools NamedUrlSessionWizardView used for its step navigation only: the
answers and the current step live in the database (Answer rows, Scan.current_step), never in
the session, so another device or an expired session loses nothing (docs/decisions/0030).
"""

import json
import secrets
from collections import OrderedDict
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from formtools.wizard.views import NamedUrlSessionWizardView

from selfscan.accounts import permissions as perms
from selfscan.core.access import require
from selfscan.norms.cache import questionnaire
from selfscan.norms.models import NVT_CODE
from selfscan.plans import selectors as plan_selectors
from selfscan.plans import views as plans_views
from selfscan.plans.views import panel_context

from . import selectors, services
from .forms import ThemeStepForm
from .models import Answer, Scan

REVIEW = "controle"


def _own_scan(request: HttpRequest, pk: int, with_previous: bool = False) -> Scan:
    """The scan if it belongs to one of the user's schools; 404 otherwise. `with_previous`:
    with last round's scan for the actions panel (plans.selectors.with_previous_scan)."""
    scans = perms.visible_scans(request.user).select_related("round", "school", "norm_version")
    if with_previous:
        scans = plan_selectors.with_previous_scan(scans)
    return get_object_or_404(scans, pk=pk)


@require(perms.is_school_user)
def mine(request: HttpRequest) -> HttpResponse:
    scans = list(selectors.my_scans(request.user))
    rows = [{"scan": scan, "locked": services.locked_reason(scan)} for scan in scans]
    return render(request, "scans/mine.html", {"rows": rows})


@require(perms.is_school_user)
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    scan = _own_scan(request, pk)
    outline = selectors.scan_outline(scan)
    return render(
        request,
        "scans/overview.html",
        {
            "scan": scan,
            "outline": outline,
            "locked": services.locked_reason(scan),
            "events": selectors.events(scan),
        },
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _scale_labels(scan: Scan) -> dict[str, str]:
    scale = {level.code: level.label for level in questionnaire(scan.norm_version_id).scale}
    scale[NVT_CODE] = _("Niet van toepassing")
    return scale


def _answer_json(answer: Answer | None, scale: dict[str, str]) -> dict[str, Any]:
    if answer is None:
        return {
            "value": "",
            "label": _("(leeg)"),
            "comment": "",
            "nvt_explanation": "",
            "version": 0,
        }
    return {
        "value": answer.value,
        "label": scale.get(answer.value, answer.value) or _("(leeg)"),
        "comment": answer.comment,
        "nvt_explanation": answer.nvt_explanation,
        "version": answer.version,
        "by": str(answer.updated_by) if answer.updated_by else "",
        "at": date_format(localtime(answer.updated_at), "DATETIME_FORMAT"),
    }


def json_session(view: Any) -> Any:
    """For the page's own requests (`X-Requested-With`): a JSON 401 with code
    `session_ended` instead of a redirect to the login page, so the page keeps the answer and
    says what to do."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and request.headers.get("X-Requested-With"):
            return JsonResponse(
                {
                    "ok": False,
                    "code": "session_ended",
                    "message": _(
                        "Niet opgeslagen – u bent niet meer ingelogd. Uw antwoord staat veilig "
                        "in deze browser; log opnieuw in om het op te slaan."
                    ),
                },
                status=401,
            )
        return view(request, *args, **kwargs)

    return wrapped


def _base(data: Any, keys: tuple[str, ...]) -> dict[str, str] | None:
    """The values the page loaded (`base_<key>`), when the page sent them."""
    if f"base_{keys[0]}" not in data:
        return None
    return {key: data.get(f"base_{key}", "") for key in keys}


@json_session
@require(perms.is_school_user)
@require_POST
def save(request: HttpRequest, pk: int) -> JsonResponse:
    """Autosave one statement (or, with `theme`, one theme's reflection); JSON for scan.js."""
    scan = perms.team_scan_for_autosave(request.user, pk)
    if scan is None:
        raise Http404
    try:
        if "theme" in request.POST:
            return _save_reflection(request, scan)
        return _save_answer(request, scan)
    except services.ScanError as error:
        return JsonResponse({"ok": False, "message": str(error)}, status=400)


def _save_reflection(request: HttpRequest, scan: Scan) -> JsonResponse:
    data = request.POST
    result = services.save_reflection(
        scan=scan,
        theme_id=data.get("theme"),
        by=request.user,
        reflection=data.get("reflection", ""),
        expected_version=data.get("version"),
        base=_base(data, ("reflection",)),
    )
    row = result.reflection
    theirs = {
        "reflection": row.reflection if row else "",
        "version": row.version if row else 0,
        "by": str(row.updated_by) if row and row.updated_by else "",
    }
    if result.conflict:
        return JsonResponse(
            {
                "ok": False,
                "conflict": True,
                "message": _(
                    "%(who)s heeft de reflectie van dit thema intussen gewijzigd. Hun tekst: "
                    "“%(text)s”."
                )
                % {"who": theirs["by"] or _("Iemand anders"), "text": theirs["reflection"]},
                "theirs": theirs,
                "version": theirs["version"],
            },
            status=409,
        )
    if row is None:  # unchanged and never written: the page's version stays
        theirs["version"] = _int(data.get("version")) or 0
    return JsonResponse(
        {
            "ok": True,
            "message": _("Opgeslagen"),
            "version": theirs["version"],
            "saved": {"reflection": theirs["reflection"]} if row else None,
        }
    )


def _save_answer(request: HttpRequest, scan: Scan) -> JsonResponse:
    data = request.POST
    result = services.save_answer(
        scan=scan,
        statement_id=data.get("statement"),
        by=request.user,
        value=data.get("value", ""),
        comment=data.get("comment", ""),
        nvt_explanation=data.get("nvt_explanation", ""),
        expected_version=data.get("version"),
        base=_base(data, ("value", "comment", "nvt_explanation")),
    )
    scale = _scale_labels(scan)
    theirs = _answer_json(result.answer, scale)
    if result.conflict:
        mine = data.get("value", "")
        message = _("%(who)s heeft deze stelling op %(at)s al beantwoord met “%(label)s”.") % {
            "who": theirs.get("by") or _("Iemand anders"),
            "at": theirs.get("at", ""),
            "label": theirs["label"],
        }
        if theirs["comment"]:
            message += " " + _("Hun toelichting: “%(comment)s”.") % {"comment": theirs["comment"]}
        message += " " + _("Uw antwoord: “%(label)s”.") % {
            "label": scale.get(mine, mine) or _("(leeg)")
        }
        message += " " + _("Kies: hun antwoord houden of uw antwoord opslaan.")
        return JsonResponse(
            {
                "ok": False,
                "conflict": True,
                "message": message,
                "theirs": theirs,
                "version": theirs["version"],
            },
            status=409,
        )
    if result.answer is None:  # this person changed nothing: the page's version stays
        theirs["version"] = _int(data.get("version")) or 0
    outline = selectors.scan_outline(scan, answers=result.answers)
    statement_id = _int(data.get("statement"))
    step = next(
        (s for s in outline.steps if any(st.pk == statement_id for st in s.statements)),
        None,
    )
    return JsonResponse(
        {
            "ok": True,
            "message": _("Opgeslagen"),
            "version": theirs["version"],
            "saved": {k: theirs[k] for k in ("value", "comment", "nvt_explanation")}
            if result.answer
            else None,
            "theme": {"answered": step.progress.answered, "total": step.progress.total}
            if step
            else None,
            "overall": {"answered": outline.overall.answered, "total": outline.overall.total},
        }
    )


def reflection_context(
    scan: Scan,
    theme: Any,
    form: Any,
    *,
    conflict: bool,
    now: Any,
    legend: str,
    conflict_message: str,
) -> dict[str, Any]:
    """The theme's reflection field (templates/scans/_reflection.html) of the wizard step and
    the comparison page (docs/decisions/0253): the typed text on a re-shown form, built on the
    other version after a conflict (saving again keeps the typed text). `legend` names the
    field; `conflict_message` (translated, with `%(who)s`) says which button saves again."""
    data = form.data
    if conflict:
        loaded = {
            "reflection": now.reflection if now else "",
            "version": now.version if now else 0,
        }
    elif form.is_bound and "reflection-loaded" in data:
        loaded = {
            "reflection": data.get("reflection-loaded", ""),
            "version": _int(data.get("reflection-version")) or 0,
        }
    else:
        stored = selectors.reflection_for(scan, theme)
        loaded = {
            "reflection": stored.reflection if stored else "",
            "version": stored.version if stored else 0,
        }
    who = (now.updated_by if now else None) or _("Iemand anders")
    return {
        # Both texts are ours (the catalogue), shown as {% translate %} and {% blocktranslate %}
        # show them: only the name in the message is escaped.
        "reflection_legend": mark_safe(legend),
        "reflection_loaded": loaded,
        "reflection_text": data.get("reflection", "")
        if form.is_bound and "reflection" in data
        else loaded["reflection"],
        "reflection_conflict": conflict,
        "reflection_theirs": now,
        "reflection_conflict_text": mark_safe(conflict_message % {"who": conditional_escape(who)})
        if conflict
        else "",
    }


def _js_messages() -> dict[str, str]:
    """The texts scan.js shows, translated here (JSON in a data attribute: no inline script
    under the content security policy)."""
    return {
        "saving": _("Bezig met opslaan…"),
        "retry": _("Niet opgeslagen – wordt opnieuw geprobeerd"),
        "offline": _(
            "Niet opgeslagen – geen verbinding; wordt opnieuw geprobeerd zodra er weer "
            "verbinding is"
        ),
        "session": _(
            "Niet opgeslagen – u bent niet meer ingelogd; uw antwoord staat veilig in deze browser"
        ),
        "sessionNotice": _(
            "U bent niet meer ingelogd. Wat u na dat moment invulde, staat veilig in deze "
            "browser maar nog niet op de server. Log opnieuw in; daarna kunt u het herstellen "
            "en opslaan."
        ),
        "login": _("Opnieuw inloggen"),
        "conflict": _("Niet opgeslagen – kies hieronder welk antwoord blijft"),
        "keep": _("Hun antwoord houden"),
        "mine": _("Mijn antwoord opslaan"),
        "keepText": _("Hun tekst houden"),
        "mineText": _("Mijn tekst opslaan"),
        "error": _("Opslaan is niet gelukt."),
        "of": _("van"),
        "answered": _("beantwoord"),
        "drafts": _(
            "In deze browser staan wijzigingen die nog niet zijn opgeslagen (bijvoorbeeld van "
            "vóór het opnieuw inloggen):"
        ),
        "otherSteps": _("Ook bij andere thema's staan niet-opgeslagen wijzigingen:"),
        "restore": _("Herstellen en opslaan"),
        "discard": _("Weggooien"),
        "discarded": _("De niet-opgeslagen wijzigingen in deze browser zijn weggegooid."),
        "restored": _("Hersteld en opgeslagen:"),
        "restoredConflict": _(
            "Niet opgeslagen, want iemand anders koos intussen iets anders; kies bij de "
            "stelling welk antwoord blijft:"
        ),
        "restoredPending": _("Nog niet opgeslagen, wordt opnieuw geprobeerd:"),
        "restoredNone": _("niets"),
    }


DRAFT_COOKIE = "zelfscan_concept"


def keep_post_across_login(view: Any) -> Any:
    """A step form posted after the session ended is kept server-side (briefly, once, for this
    browser only) and the login returns to the step with the token in `next`
    (docs/decisions/0100)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        secret = request.COOKIES.get(DRAFT_COOKIE) or secrets.token_urlsafe(32)
        step = str(kwargs.get("step") or "")
        token = services.keep_step_post(
            scan_id=kwargs["pk"],
            step=step,
            data={key: request.POST.get(key, "") for key in request.POST},
            browser_secret=secret,
        )
        target = request.path
        if token:
            target = f"{target}?{urlencode({RESTORE_PARAM: token})}"
        response = redirect_to_login(target)
        response.set_cookie(
            DRAFT_COOKIE,
            secret,
            max_age=services.PENDING_HOURS * 3600,
            path=reverse("scans:mine"),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response

    return wrapped


RESTORE_PARAM = "herstel"


def _to_team_perspectives(request: HttpRequest, scan: Scan, step: str | None) -> HttpResponse:
    """In a round with team perspectives the team fixes the school answers on the comparison
    page, never in the plain wizard (docs/decisions/0250). Opening the wizard leads to one's own
    answers, a step to that theme's comparison; a step form posted from a page opened before
    the round used perspectives is passed on (307 keeps the method and the posted answers) to
    the comparison, which saves them with the same conflict check."""
    if step is None:
        return redirect("perspectives:resume", pk=scan.pk)
    target = reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": step})
    if request.method == "POST":
        return HttpResponseRedirect(target, preserve_request=True)
    messages.info(
        request,
        _(
            "In deze ronde vult ieder teamlid eerst de eigen antwoorden in. De schoolantwoorden "
            "legt het team vast op deze vergelijkingspagina."
        ),
    )
    return redirect(target)


@method_decorator(keep_post_across_login, name="dispatch")
@method_decorator(require(perms.is_school_user), name="dispatch")  # type: ignore[arg-type]
class ScanWizard(NamedUrlSessionWizardView):
    """One step per theme of the school's sector; see the module docstring."""

    form_list = [("stap", ThemeStepForm)]  # replaced per scan by get_form_list()
    storage_name = "selfscan.scans.wizard.RequestStorage"
    template_name = "scans/step.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.scan = _own_scan(request, kwargs["pk"], with_previous=True)
        # Only once a member has started own answers: a team that fills in the scan together
        # (a one-person team, say) keeps the plain wizard (docs/decisions/0250).
        if (
            perms.can_use_team_perspectives(request.user, self.scan)
            and self.scan.perspectives.exists()
        ):
            return _to_team_perspectives(request, self.scan, kwargs.get("step"))
        self.outline = selectors.scan_outline(self.scan, with_answers=True)
        if not self.outline.steps:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return f"scan_{kwargs['pk']}"

    def get_form_list(self) -> "OrderedDict[str, type[ThemeStepForm]]":
        return OrderedDict((code, ThemeStepForm) for code in self.outline.codes)

    def get_step_url(self, step: str) -> str:
        if step == self.done_step_name:
            return reverse("scans:review", kwargs={"pk": self.scan.pk})
        return reverse("scans:step", kwargs={"pk": self.scan.pk, "step": step})

    def get_form_prefix(self, step: Any = None, form: Any = None) -> str:
        return ""

    def get_form_kwargs(self, step: Any = None) -> dict[str, Any]:
        theme_step = self.outline.step(step or self.steps.current)
        assert theme_step is not None
        return {"statements": theme_step.statements, "scale": self.outline.scale}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = kwargs.get("step")
        if step is None:
            resume = self.scan.current_step
            target = resume if resume in self.outline.codes else self.outline.codes[0]
            return redirect(self.get_step_url(target))
        if step not in self.outline.codes:
            raise Http404
        self.storage.current_step = step
        token = request.GET.get(RESTORE_PARAM, "")
        if token:
            return self._restore(request, step, token)
        return self.render(self.get_form(step=step))

    def _restore(self, request: HttpRequest, step: str, token: str) -> HttpResponse:
        """Show the step with the answers posted before the login, for the person to check."""
        data = None
        if perms.can_edit_scan(request.user, self.scan):
            data = services.take_step_post(
                token=token,
                browser_secret=request.COOKIES.get(DRAFT_COOKIE, ""),
                scan=self.scan,
                step=step,
            )
        if data is None:
            messages.warning(
                request,
                _(
                    "De antwoorden van vóór het inloggen zijn niet meer beschikbaar (ze worden "
                    "twee uur bewaard, één keer, alleen in de browser waarin u ze gaf)."
                ),
            )
            return redirect(self.get_step_url(step))
        messages.info(
            request,
            _(
                "Uw antwoorden van vóór het inloggen staan klaar; controleer ze en klik op "
                "Volgende om ze op te slaan."
            ),
        )
        return self.render(self.get_form(step=step, data=data))

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        step = kwargs.get("step")
        if step not in self.outline.codes:
            raise Http404
        self.storage.current_step = step
        reason = services.locked_reason(self.scan)
        if reason:
            messages.error(self.request, reason)
            return redirect("scans:overview", pk=self.scan.pk)
        form = self.get_form(step=step, data=self.request.POST)
        theme_step = self.outline.step(step)
        assert theme_step is not None
        command = self._panel_command(theme_step)
        if not form.is_valid():
            return self._render_with_panel(form, command)
        try:
            outcome = services.save_step(
                scan=self.scan,
                by=self.request.user,
                entries=form.entries(),
                reflection={
                    "theme_id": theme_step.theme.pk,
                    "reflection": form.cleaned_data.get("reflection") or "",
                    "expected_version": form.cleaned_data.get("reflection-version") or 0,
                    "base": form.reflection_base(),
                },
            )
        except services.ScanError as error:
            messages.error(self.request, str(error))
            return self._render_with_panel(form, command)
        if outcome.conflicts or outcome.reflection_conflict:
            return self._render_with_panel(
                form,
                command,
                conflicts=outcome.conflicts,
                reflection_conflict=outcome.reflection_conflict,
                reflection_now=outcome.reflection,
            )
        if command:
            return self._run_panel_command(step, theme_step, command)
        goto = self.request.POST.get("wizard_goto_step", "")
        codes = self.outline.codes
        if goto in codes:
            target = goto
        elif goto == REVIEW or step == codes[-1]:
            services.set_current_step(scan=self.scan, step=step)
            return redirect("scans:review", pk=self.scan.pk)
        else:
            target = codes[codes.index(step) + 1]
        services.set_current_step(scan=self.scan, step=target)
        return redirect(self.get_step_url(target))

    # --- the improvement-actions panel: its buttons post this form (docs/decisions/0251) -----

    def _panel_command(self, theme_step: Any) -> str:
        """The panel button that posted the step ("" for the wizard's own buttons). Enter in a
        field of the add form submits with the step's default button: text typed there is
        then added too rather than lost."""
        data = self.request.POST
        command = data.get(plans_views.COMMAND, "")
        if not command and (data.get("new-what") or "").strip():
            command = "toevoegen"
        if not command and plans_views.changed_actions(self.request, self.scan):
            command = plans_views.CHANGED  # typed into an existing action (decisions/0252)
        if command and not perms.can_edit_actions(self.request.user, self.scan.school_id):
            return ""
        return command

    def _render_with_panel(self, form: Any, command: str, **kwargs: Any) -> HttpResponse:
        """The step with its answers as typed; the panel form the button posted stays bound,
        so its text is kept too, and nothing of the action is saved yet."""
        if command:
            self.panel_kwargs = plans_views.panel_as_posted(self.request, self.scan, command)
            messages.warning(
                self.request,
                _(
                    "De verbeteractie is nog niet opgeslagen, omdat niet alle antwoorden hierboven "
                    "konden worden opgeslagen. Los dat eerst op en klik dan opnieuw op de knop "
                    "bij de verbeteractie."
                ),
            )
        return self.render(form, **kwargs)

    def _run_panel_command(self, step: str, theme_step: Any, command: str) -> HttpResponse:
        """The step's answers are saved: stay on this step and carry out the panel button."""
        services.set_current_step(scan=self.scan, step=step)
        outcome = plans_views.run_panel_command(
            self.request, self.scan, theme_step.theme, command, self.get_step_url(step)
        )
        if outcome.redirect_to:
            return redirect(outcome.redirect_to)
        self.outline = selectors.scan_outline(self.scan, with_answers=True)  # as just saved
        self.panel_kwargs = outcome.panel
        return self.render(self.get_form(step=step))

    def _plans_panel(self, theme: Any, locked: str) -> dict[str, Any]:
        return panel_context(
            self.request,
            self.scan,
            theme,
            in_step=not locked,
            **getattr(self, "panel_kwargs", {}),
        )

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        step = self.outline.step(self.steps.current)
        assert step is not None
        conflicts: dict[int, Answer | None] = kwargs.get("conflicts") or {}
        bound = form.is_bound
        data = form.data
        labels = _scale_labels(self.scan)
        rows = []
        for st in step.statements:
            answer = self.outline.answers.get(st.pk)
            p = f"s{st.pk}"
            conflict = st.pk in conflicts
            theirs = conflicts.get(st.pk) if conflict else None
            stored = {
                "value": answer.value if answer else "",
                "comment": answer.comment if answer else "",
                "nvt": answer.nvt_explanation if answer else "",
                "version": answer.version if answer else 0,
            }
            if conflict:
                # the page now builds on the other person's answer: choosing "mine" saves
                loaded = {
                    "value": theirs.value if theirs else "",
                    "comment": theirs.comment if theirs else "",
                    "nvt": theirs.nvt_explanation if theirs else "",
                    "version": theirs.version if theirs else 0,
                }
            elif bound and f"{p}-loaded-value" in data:
                loaded = {
                    "value": data.get(f"{p}-loaded-value", ""),
                    "comment": data.get(f"{p}-loaded-comment", ""),
                    "nvt": data.get(f"{p}-loaded-nvt", ""),
                    "version": _int(data.get(f"{p}-version")) or 0,
                }
            else:
                loaded = stored
            value = str(data.get(f"{p}-value", "") if bound else stored["value"])
            rows.append(
                {
                    "statement": st,
                    "prefix": p,
                    "value": value,
                    "comment": data.get(f"{p}-comment", "") if bound else stored["comment"],
                    "nvt": data.get(f"{p}-nvt", "") if bound else stored["nvt"],
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
                    "answer": answer,
                }
            )
        index = self.outline.codes.index(step.theme.code)
        context.update(
            {
                "scan": self.scan,
                "outline": self.outline,
                "step": step,
                "rows": rows,
                "levels": self.outline.scale,
                "nvt_code": NVT_CODE,
                "nvt_label": self.scan.norm_version.nvt_label,
                **reflection_context(
                    self.scan,
                    step.theme,
                    form,
                    conflict=kwargs.get("reflection_conflict", False),
                    now=kwargs.get("reflection_now"),
                    legend=_("Reflectie"),
                    conflict_message=_(
                        "%(who)s heeft de reflectie intussen gewijzigd. Hun tekst staat "
                        "hieronder; uw tekst staat in het veld. Pas uw tekst zo nodig aan en "
                        "klik opnieuw op Volgende: dan wordt uw tekst opgeslagen."
                    ),
                ),
                "locked": services.locked_reason(self.scan),
                "prev_step": self.outline.codes[index - 1] if index > 0 else "",
                "step_number": index + 1,
                "review_step": REVIEW,
                "has_conflicts": bool(conflicts),
                "js_messages": json.dumps(_js_messages()),
                "plans": self._plans_panel(step.theme, services.locked_reason(self.scan)),
            }
        )
        return context


@require(perms.is_school_user)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    scan = _own_scan(request, pk)
    outline = selectors.scan_outline(scan, with_answers=True)
    missing = [
        {"step": step, "statements": [s for s in step.statements if s.pk in step.progress.missing]}
        for step in outline.steps
        if step.progress.missing
    ]
    return render(
        request,
        "scans/review.html",
        {
            "scan": scan,
            "outline": outline,
            "missing": missing,
            "locked": services.locked_reason(scan),
        },
    )


@require(perms.is_school_user)
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    scan = _own_scan(request, pk)
    if request.POST.get("confirm") != "1" and not scan.is_submitted:
        # The school cannot undo a submit: only with the review page's confirmation.
        messages.error(
            request,
            _("Vink eerst aan dat u begrijpt dat u na het indienen niets meer kunt wijzigen."),
        )
        return redirect("scans:review", pk=scan.pk)
    try:
        scan, created = services.submit_scan(scan=scan, by=request.user)
    except services.ScanError as error:
        messages.error(request, str(error))
        return redirect("scans:review", pk=scan.pk)
    if created:
        messages.success(request, _("De zelfscan is ingediend. Dank u wel!"))
    else:
        messages.info(request, _("Deze zelfscan was al ingediend."))
    return redirect("scans:overview", pk=scan.pk)


@require(perms.is_school_user)
def history(request: HttpRequest, pk: int) -> HttpResponse:
    scan = _own_scan(request, pk)
    return render(
        request,
        "scans/history.html",
        {
            "scan": scan,
            "changes": selectors.history(scan)[:500],
            "reflection_changes": selectors.reflection_history(scan)[:500],
        },
    )
