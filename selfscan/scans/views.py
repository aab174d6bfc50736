"""Views of the zelfscan for school teams. Thin: permissions, one service or selector, render.

The wizard is a formtools NamedUrlSessionWizardView used for its step navigation only: the
answers and the current step live in the database (Answer rows, Scan.current_step), never in
the session, so another device or an expired session loses nothing (docs/decisions/0030).
"""

from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from formtools.wizard.views import NamedUrlSessionWizardView

from selfscan.accounts import permissions as perms
from selfscan.core.access import require
from selfscan.norms.models import NVT_CODE

from . import selectors, services
from .forms import ThemeStepForm
from .models import Answer, Scan, ThemeReflection

REVIEW = "controle"


def _own_scan(request: HttpRequest, pk: int) -> Scan:
    """The scan if it belongs to one of the user's schools; 404 otherwise."""
    return get_object_or_404(
        perms.visible_scans(request.user).select_related("round", "school", "norm_version"),
        pk=pk,
    )


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


def _answer_json(answer: Answer | None, scale: dict[str, str]) -> dict[str, Any]:
    if answer is None:
        return {"value": "", "label": "", "comment": "", "nvt_explanation": "", "version": 0}
    return {
        "value": answer.value,
        "label": scale.get(answer.value, answer.value) or _("(leeg)"),
        "comment": answer.comment,
        "nvt_explanation": answer.nvt_explanation,
        "version": answer.version,
        "by": str(answer.updated_by) if answer.updated_by else "",
        "at": date_format(localtime(answer.updated_at), "DATETIME_FORMAT"),
    }


@require(perms.is_school_user)
@require_POST
def save(request: HttpRequest, pk: int) -> JsonResponse:
    """Autosave one statement (or one theme's reflection); JSON for the scan's JavaScript."""
    scan = _own_scan(request, pk)
    data = request.POST
    try:
        if "theme" in data:
            result = services.save_reflection(
                scan=scan,
                theme_id=data.get("theme"),
                by=request.user,
                reflection=data.get("reflection", ""),
                action=data.get("action", ""),
                expected_version=data.get("version"),
            )
            if result.conflict:
                return JsonResponse(
                    {
                        "ok": False,
                        "conflict": True,
                        "message": _(
                            "Iemand anders heeft de reflectie van dit thema intussen gewijzigd. "
                            "Laad de pagina opnieuw om die te zien."
                        ),
                    },
                    status=409,
                )
            row = ThemeReflection.objects.filter(scan=scan, theme_id=data["theme"]).first()
            return JsonResponse(
                {"ok": True, "message": _("Opgeslagen"), "version": row.version if row else 0}
            )
        result = services.save_answer(
            scan=scan,
            statement_id=data.get("statement"),
            by=request.user,
            value=data.get("value", ""),
            comment=data.get("comment", ""),
            nvt_explanation=data.get("nvt_explanation", ""),
            expected_version=data.get("version"),
        )
    except services.ScanError as error:
        return JsonResponse({"ok": False, "message": str(error)}, status=400)
    scale = {level.code: level.label for level in scan.norm_version.scale.all()}
    scale[NVT_CODE] = _("Niet van toepassing")
    theirs = _answer_json(result.answer, scale)
    if result.conflict:
        return JsonResponse(
            {
                "ok": False,
                "conflict": True,
                "message": _(
                    "%(who)s heeft deze stelling op %(at)s al beantwoord met “%(label)s”. "
                    "Kies: hun antwoord houden of uw antwoord opslaan."
                )
                % {
                    "who": theirs.get("by") or _("Iemand anders"),
                    "at": theirs.get("at", ""),
                    "label": theirs["label"],
                },
                "theirs": theirs,
                "version": theirs["version"],
            },
            status=409,
        )
    outline = selectors.scan_outline(scan)
    step = next(
        (s for s in outline.steps if any(st.pk == int(data["statement"]) for st in s.statements)),
        None,
    )
    return JsonResponse(
        {
            "ok": True,
            "message": _("Opgeslagen"),
            "version": theirs["version"],
            "theme": {"answered": step.progress.answered, "total": step.progress.total}
            if step
            else None,
            "overall": {"answered": outline.overall.answered, "total": outline.overall.total},
        }
    )


@method_decorator(require(perms.is_school_user), name="dispatch")  # type: ignore[arg-type]
class ScanWizard(NamedUrlSessionWizardView):
    """One step per theme of the school's sector; see the module docstring."""

    form_list = [("stap", ThemeStepForm)]  # replaced per scan by get_form_list()
    template_name = "scans/step.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.scan = _own_scan(request, kwargs["pk"])
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
        return self.render(self.get_form(step=step))

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
        if not form.is_valid():
            return self.render(form)
        theme_step = self.outline.step(step)
        assert theme_step is not None
        try:
            outcome = services.save_step(
                scan=self.scan,
                by=self.request.user,
                entries=form.entries(),
                reflection={
                    "theme_id": theme_step.theme.pk,
                    "reflection": form.cleaned_data.get("reflection") or "",
                    "action": form.cleaned_data.get("action") or "",
                    "expected_version": form.cleaned_data.get("reflection-version") or 0,
                },
            )
        except services.ScanError as error:
            messages.error(self.request, str(error))
            return self.render(form)
        if outcome.conflicts or outcome.reflection_conflict:
            return self.render(
                form,
                conflicts=outcome.conflicts,
                reflection_conflict=outcome.reflection_conflict,
            )
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

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        step = self.outline.step(self.steps.current)
        assert step is not None
        conflicts: dict[int, Answer | None] = kwargs.get("conflicts") or {}
        bound = form.is_bound
        rows = []
        for st in step.statements:
            answer = self.outline.answers.get(st.pk)
            prefix = f"s{st.pk}"
            conflict = st.pk in conflicts
            current = conflicts.get(st.pk) if conflict else answer
            rows.append(
                {
                    "statement": st,
                    "prefix": prefix,
                    "value": form.data.get(f"{prefix}-value", "")
                    if bound
                    else (answer.value if answer else ""),
                    "comment": form.data.get(f"{prefix}-comment", "")
                    if bound
                    else (answer.comment if answer else ""),
                    "nvt": form.data.get(f"{prefix}-nvt", "")
                    if bound
                    else (answer.nvt_explanation if answer else ""),
                    "version": current.version if current else 0,
                    "errors": [
                        e
                        for key in ("value", "comment", "nvt", "version")
                        for e in form.errors.get(f"{prefix}-{key}", [])
                    ],
                    "conflict": conflict,
                    "theirs": current,
                    "answer": answer,
                }
            )
        reflection = selectors.reflection_for(self.scan, step.theme)
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
                "reflection": reflection,
                "reflection_text": form.data.get("reflection", "")
                if bound
                else (reflection.reflection if reflection else ""),
                "action_text": form.data.get("action", "")
                if bound
                else (reflection.action if reflection else ""),
                "reflection_conflict": kwargs.get("reflection_conflict", False),
                "locked": services.locked_reason(self.scan),
                "prev_step": self.outline.codes[index - 1] if index > 0 else "",
                "step_number": index + 1,
                "review_step": REVIEW,
                "has_conflicts": bool(conflicts),
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
        request, "scans/history.html", {"scan": scan, "changes": selectors.history(scan)[:500]}
    )
