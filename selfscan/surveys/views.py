"""Views: thin wiring of forms, `permissions`, services and selectors to templates."""

from __future__ import annotations

import secrets
from typing import Any

import segno
from django.contrib import messages
from django.core.signing import BadSignature
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from selfscan.accounts.permissions import can_manage_surveys
from selfscan.core.access import require

from . import exports, selectors, services
from .charts import figure_json, pdf_chart
from .forms import (
    CategoryForm,
    KindForm,
    MergeForm,
    QuestionForm,
    RenameForm,
    ResponseForm,
    SectionForm,
    SurveyForm,
    UploadForm,
    parse_coding,
)
from .models import TEXT_KINDS, Question, Section, Survey
from .words import word_counts, word_sizes

staff = require(can_manage_surveys)
ANSWERED_SALT = "selfscan.surveys.answered"
ANSWERED_MAX_AGE = 365 * 24 * 60 * 60
MOVE_DIRECTIONS = {"up", "down"}


# --- public answering -----------------------------------------------------------------------


def _cookie_name(survey: Survey) -> str:
    return f"survey_{survey.pk}"


def _answered_before(request: HttpRequest, survey: Survey) -> bool:
    try:
        value = request.get_signed_cookie(_cookie_name(survey), salt=ANSWERED_SALT)
    except (KeyError, BadSignature):
        return False
    return value == survey.public_token


def _unknown(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/public_unavailable.html", {"unknown": True}, status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The public form. No login; nothing about the respondent is stored (no IP address, no user
    agent); a signed cookie marks that this browser answered (a soft limit)."""
    survey = selectors.open_survey_by_token(token)
    if survey is None:
        return _unknown(request)
    if not survey.is_open():
        not_yet = survey.concept or bool(survey.opens_at and timezone.now() < survey.opens_at)
        return render(
            request, "surveys/public_unavailable.html", {"survey": survey, "not_yet": not_yet}
        )
    questions = selectors.ordered_questions(survey)
    if request.method == "POST":
        form = ResponseForm(questions, request.POST)
        if _answered_before(request, survey):
            stored = survey.responses.filter(
                submission_token=request.POST.get("submission_token", "")
            ).exists()
            if stored:
                return redirect("surveys:thanks", token=token)
            return render(
                request, "surveys/public_unavailable.html", {"survey": survey, "answered": True}
            )
        if form.is_valid():
            try:
                services.submit_response(
                    survey,
                    submission_token=form.cleaned_data["submission_token"],
                    values=form.cleaned_values(),
                )
            except services.SurveyError:
                return render(request, "surveys/public_unavailable.html", {"survey": survey})
            response = redirect("surveys:thanks", token=token)
            response.set_signed_cookie(
                _cookie_name(survey),
                survey.public_token,
                salt=ANSWERED_SALT,
                max_age=ANSWERED_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    else:
        if _answered_before(request, survey):
            return render(
                request, "surveys/public_unavailable.html", {"survey": survey, "answered": True}
            )
        form = ResponseForm(questions, initial={"submission_token": secrets.token_urlsafe(24)})
    return render(
        request,
        "surveys/public_form.html",
        {"survey": survey, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    survey = selectors.open_survey_by_token(token)
    if survey is None:
        return _unknown(request)
    return render(request, "surveys/public_thanks.html", {"survey": survey})


# --- staff: surveys ---------------------------------------------------------------------------


@staff
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/list.html", {"surveys": selectors.surveys_for_staff()})


@staff
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey = services.create_survey(by=request.user, **form.cleaned_data)
        messages.success(request, _("De vragenlijst is aangemaakt. Voeg nu vragen toe."))
        return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form})


@staff
@require_http_methods(["GET", "POST"])
def survey_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.load_survey_file(upload.read(), filename=upload.name, by=request.user)
        if result.survey is not None:
            messages.success(request, _("De vragenlijst is ingelezen."))
            return redirect("surveys:detail", pk=result.survey.pk)
        errors = result.errors
    return render(
        request,
        "surveys/upload.html",
        {"form": form, "errors": errors},
        status=400 if errors or form.errors else 200,
    )


def _public_url(request: HttpRequest, survey: Survey) -> str:
    return request.build_absolute_uri(reverse("surveys:answer", args=[survey.public_token]))


@staff
@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_with_questions(pk)
    url = _public_url(request, survey)
    qr = segno.make(url, error="m").svg_inline(
        scale=4, title=_("QR-code naar de vragenlijst"), omitsize=True
    )
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "questions": selectors.ordered_questions(survey),
            "public_url": url,
            "qr_svg": qr,
            "locked": survey.response_count > 0,  # type: ignore[attr-defined]
            "section_form": SectionForm(),
        },
    )


@staff
@require_GET
def survey_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code as an SVG file, to print or put on a slide."""
    survey = get_object_or_404(Survey, pk=pk)
    svg = segno.make(_public_url(request, survey), error="m").svg_inline(scale=10)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="vragenlijst-{survey.pk}-qr.svg"'
    return response


@staff
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        services.update_survey(Survey.objects.get(pk=pk), by=request.user, **form.cleaned_data)
        messages.success(request, _("De vragenlijst is opgeslagen."))
        return redirect("surveys:detail", pk=pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@staff
@require_POST
def survey_copy(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    copy = services.copy_survey(survey, by=request.user)
    messages.success(
        request,
        _("De kopie is aangemaakt als concept, zonder reacties. Open hem als hij klaar is."),
    )
    return redirect("surveys:detail", pk=copy.pk)


@staff
@require_GET
def survey_definition(request: HttpRequest, pk: int) -> HttpResponse:
    """The definition as a YAML file, to load elsewhere with `load_survey` or the upload page."""
    survey = get_object_or_404(Survey, pk=pk)
    response = HttpResponse(
        selectors.definition_yaml(survey), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="vragenlijst-{survey.pk}.yaml"'
    return response


@staff
@require_POST
def survey_open_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    action = request.POST.get("action")
    if action == "close":
        services.close_now(survey, by=request.user)
        messages.success(request, _("De vragenlijst is gesloten."))
    elif action == "open":
        try:
            survey = services.open_survey(survey, by=request.user)
        except services.SurveyError as exc:
            messages.error(request, str(exc))
        else:
            if survey.status == "scheduled":
                messages.success(request, _("De vragenlijst gaat open op het geplande moment."))
            else:
                messages.success(request, _("De vragenlijst is open."))
    else:
        messages.error(request, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
    return redirect("surveys:detail", pk=pk)


# --- staff: sections and questions ----------------------------------------------------------


@staff
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        services.save_section(survey, by=request.user, **form.cleaned_data)
        messages.success(request, _("Het onderdeel is toegevoegd."))
    else:
        messages.error(request, _("Geef het onderdeel een titel."))
    return redirect("surveys:detail", pk=pk)


@staff
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    section = get_object_or_404(Section, pk=section_pk, survey_id=pk)
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        services.save_section(section.survey, by=request.user, section=section, **form.cleaned_data)
        messages.success(request, _("Het onderdeel is opgeslagen."))
        return redirect("surveys:detail", pk=pk)
    return render(request, "surveys/section_form.html", {"form": form, "survey": section.survey})


def _move(
    request: HttpRequest, survey_pk: int, item: Section | Question, anchor: str
) -> HttpResponse:
    """Move a section or question one place up or down; a tampered direction changes nothing."""
    direction = request.POST.get("direction", "up")
    if direction not in MOVE_DIRECTIONS:
        messages.error(request, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
        return redirect("surveys:detail", pk=survey_pk)
    services.move(item, by=request.user, direction=direction)
    return redirect(reverse("surveys:detail", args=[survey_pk]) + f"#{anchor}")


@staff
@require_POST
def section_move(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    section = get_object_or_404(Section, pk=section_pk, survey_id=pk)
    return _move(request, pk, section, f"onderdeel-{section.pk}")


@staff
@require_POST
def section_delete(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    section = get_object_or_404(Section, pk=section_pk, survey_id=pk)
    services.delete_section(section, by=request.user)
    messages.success(request, _("Het onderdeel is verwijderd; de vragen ervan staan nu los."))
    return redirect("surveys:detail", pk=pk)


@staff
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_form(request, get_object_or_404(Survey, pk=pk), None)


@staff
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_pk, survey_id=pk)
    return _question_form(request, question.survey, question)


def _question_form(request: HttpRequest, survey: Survey, question: Question | None) -> HttpResponse:
    initial = QuestionForm.initial_for(question) if question else {"kind": "yes_no"}
    form = QuestionForm(
        survey, request.POST or None, initial=initial, kind=request.GET.get("kind", "")
    )
    kind_form = KindForm(initial={"kind": form.chosen_kind}, auto_id="choose_%s")
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(
                survey, by=request.user, fields=form.model_fields(), question=question
            )
        except services.SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De vraag is opgeslagen."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(
        request,
        "surveys/question_form.html",
        {"form": form, "kind_form": kind_form, "survey": survey, "question": question},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff
@require_POST
def question_move(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_pk, survey_id=pk)
    return _move(request, pk, question, f"vraag-{question.pk}")


@staff
@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_pk, survey_id=pk)
    try:
        services.delete_question(question, by=request.user)
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("De vraag is verwijderd."))
    return redirect("surveys:detail", pk=pk)


# --- staff: report, live figures, exports -----------------------------------------------------


def _report_context(survey: Survey) -> dict[str, Any]:
    report = selectors.survey_summary(survey)
    questions = [
        {"summary": q, "chart": figure_json(q), "number": n}
        for n, q in enumerate(report.questions, start=1)
    ]
    coding_ids = {q.key: q.pk for q in survey.questions.all() if q.kind in TEXT_KINDS}
    return {
        "survey": survey,
        "report": report,
        "questions": questions,
        "coding_ids": coding_ids,
        "is_open": survey.is_open(),
    }


@staff
@require_GET
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    return render(request, "surveys/summary.html", _report_context(survey))


@never_cache
@staff
@require_GET
def summary_live(request: HttpRequest, pk: int) -> JsonResponse:
    """The figures as an HTML fragment plus the response count, for the page's polling."""
    survey = get_object_or_404(Survey, pk=pk)
    count = selectors.response_count(survey)
    data: dict[str, Any] = {"count": count, "open": survey.is_open()}
    if request.GET.get("count") != str(count):
        context = _report_context(survey)
        data["html"] = render_to_string("surveys/_summary_body.html", context, request=request)
    return JsonResponse(data)


EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    content_type, ext = EXPORT_TYPES[fmt]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    return response


@staff
@require_GET
def export_responses(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    questions, rows, days = selectors.response_rows(survey)
    table = exports.response_table(questions, rows, days)
    content = exports.to_csv(table) if fmt == "csv" else exports.to_xlsx(table, _("Reacties"))
    return _download(content, fmt, f"vragenlijst-{survey.pk}-reacties")


@staff
@require_GET
def export_summary(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    if fmt == "pdf":
        context = _report_context(survey)
        context["generated_at"] = timezone.now()
        for item in context["questions"]:
            item["pdf_chart"] = pdf_chart(
                item["summary"], number=item["number"], label=exports.label
            )
        return _download(exports.to_pdf(context), fmt, f"vragenlijst-{survey.pk}-samenvatting")
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    table = exports.summary_table(selectors.survey_summary(survey))
    content = exports.to_csv(table) if fmt == "csv" else exports.to_xlsx(table, _("Samenvatting"))
    return _download(content, fmt, f"vragenlijst-{survey.pk}-samenvatting")


# --- staff: presenter mode ------------------------------------------------------------------------


def _presenter_state(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    """The presenter's switches, kept in the session (it is a screen setting, not data):
    `hide` (results stay hidden until revealed) and the questions revealed so far."""
    state = request.session.get(f"survey-presenter-{survey.pk}") or {}
    return {"hide": bool(state.get("hide")), "revealed": list(state.get("revealed") or [])}


def _number(request: HttpRequest) -> int:
    raw = request.GET.get("vraag") or request.POST.get("vraag") or "1"
    return int(raw) if raw.isdigit() else 1


def _presenter_context(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    report = selectors.survey_summary(survey)
    total = len(report.questions)
    number = min(max(_number(request), 1), max(total, 1))
    state = _presenter_state(request, survey)
    context: dict[str, Any] = {
        "survey": survey,
        "respondents": report.respondents,
        "total": total,
        "number": number,
        "hide": state["hide"],
        "is_open": survey.is_open(),
    }
    if total:
        question = report.questions[number - 1]
        context.update(
            {
                "q": question,
                "hidden": state["hide"] and number not in state["revealed"],
                "chart": figure_json(question, large=True),
                "words": word_sizes(word_counts(a.text for a in question.answers))
                if question.spec.kind in TEXT_KINDS
                else [],
            }
        )
    return context


@staff
@require_GET
def presenter(request: HttpRequest, pk: int) -> HttpResponse:
    """Presenter mode: one question at a time in large type with its live chart, the join link
    and QR code; `?vraag=<n>` (1-based) so next/previous are plain links."""
    survey = get_object_or_404(Survey, pk=pk)
    url = _public_url(request, survey)
    qr = segno.make(url, error="m").svg_inline(
        scale=5, title=_("QR-code naar de vragenlijst"), omitsize=True
    )
    context = _presenter_context(request, survey)
    context.update({"public_url": url, "qr_svg": qr})
    return render(request, "surveys/presenter.html", context)


@never_cache
@staff
@require_GET
def presenter_live(request: HttpRequest, pk: int) -> JsonResponse:
    """The current question's results as an HTML fragment plus the response count."""
    survey = get_object_or_404(Survey, pk=pk)
    context = _presenter_context(request, survey)
    html = render_to_string("surveys/_presenter_results.html", context, request=request)
    n = context["respondents"]
    count_text = ngettext("%(n)d reactie", "%(n)d reacties", n) % {"n": n}
    return JsonResponse({"count": n, "count_text": count_text, "html": html})


@staff
@require_POST
def presenter_switch(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide results until revealed (on/off) or reveal the current question's results."""
    survey = get_object_or_404(Survey, pk=pk)
    state = _presenter_state(request, survey)
    number = _number(request)
    action = request.POST.get("action")
    if action == "hide":
        state = {"hide": True, "revealed": []}
    elif action == "show_all":
        state = {"hide": False, "revealed": []}
    elif action == "reveal":
        state["revealed"] = sorted({*state["revealed"], number})
    else:
        messages.error(request, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
    request.session[f"survey-presenter-{survey.pk}"] = state
    return redirect(reverse("surveys:presenter", args=[pk]) + f"?vraag={number}")


# --- staff: breakdowns by group -------------------------------------------------------------------


def _grouping(request: HttpRequest, survey: Survey) -> tuple[list[Question], Question | None]:
    """The grouping questions and the chosen one (`?vraag=<key>`; the first by default)."""
    choices = selectors.grouping_questions(survey)
    key = request.GET.get("vraag", "")
    chosen = next((q for q in choices if q.key == key), choices[0] if choices else None)
    return choices, chosen


@staff
@require_GET
def breakdown(request: HttpRequest, pk: int) -> HttpResponse:
    """Every other question per group of one closed question, with the small-group rule."""
    survey = get_object_or_404(Survey, pk=pk)
    choices, chosen = _grouping(request, survey)
    context: dict[str, Any] = {"survey": survey, "choices": choices, "chosen": chosen}
    if chosen is not None:
        result = selectors.survey_breakdown(survey, chosen.key)
        context.update(
            {
                "result": result,
                "groups": [
                    {"name": exports.group_name(g.label), "n": g.respondents} for g in result.groups
                ],
                "comparison": exports.comparison(result),
                "merged_note": exports.merged_note(result),
            }
        )
    return render(request, "surveys/breakdown.html", context)


@staff
@require_GET
def export_breakdown(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    _choices, chosen = _grouping(request, survey)
    if chosen is None:
        raise Http404
    table = exports.breakdown_table(selectors.survey_breakdown(survey, chosen.key))
    content = exports.to_csv(table) if fmt == "csv" else exports.to_xlsx(table, _("Uitsplitsing"))
    return _download(content, fmt, f"vragenlijst-{survey.pk}-uitsplitsing-{chosen.key}")


# --- staff: coding open answers -----------------------------------------------------------------


def _posted_ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("answer") if v.isdigit()]


@staff
@require_http_methods(["GET", "POST"])
def coding(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.select_related("survey"), pk=question_pk, survey_id=pk
    )
    if question.kind not in TEXT_KINDS:
        raise Http404
    category_form = CategoryForm()
    posted: dict[int, tuple[list[int], bool]] = {}
    rename_form = RenameForm(question)
    merge_form = MergeForm(question)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                # The add-category field sits inside the coding form: the ticks come along
                # and are saved with the new category (or kept on the page on an error).
                category_form = CategoryForm(request.POST)
                if category_form.is_valid():
                    services.add_category_keeping_ticks(
                        question,
                        by=request.user,
                        name=category_form.cleaned_data["name"],
                        coding=parse_coding(request.POST, _posted_ids(request)),
                    )
                    messages.success(
                        request, _("De categorie is toegevoegd en de vinkjes zijn opgeslagen.")
                    )
                    return redirect(request.path)
                posted = parse_coding(request.POST, _posted_ids(request))
            elif action == "rename":
                rename_form = RenameForm(question, request.POST)
                if rename_form.is_valid():
                    services.rename_category(
                        rename_form.cleaned_data["category"],
                        by=request.user,
                        name=rename_form.cleaned_data["name"],
                    )
                    messages.success(request, _("De categorie is hernoemd."))
                    return redirect(request.path)
            elif action == "merge":
                merge_form = MergeForm(question, request.POST)
                if merge_form.is_valid():
                    services.merge_categories(
                        merge_form.cleaned_data["source"],
                        merge_form.cleaned_data["target"],
                        by=request.user,
                    )
                    messages.success(request, _("De categorieën zijn samengevoegd."))
                    return redirect(request.path)
            elif action == "code":
                changed = services.code_answers(
                    question,
                    by=request.user,
                    coding=parse_coding(request.POST, _posted_ids(request)),
                )
                messages.success(
                    request, _("Codering opgeslagen (%(n)d antwoorden gewijzigd).") % {"n": changed}
                )
                return redirect(request.path)
        except services.SurveyError as exc:
            if action != "create":
                messages.error(request, str(exc))
                return redirect(request.path)
            # Nothing was saved; show the page again with the ticks as they were posted.
            category_form.add_error("name", str(exc))
            posted = parse_coding(request.POST, _posted_ids(request))
    answers, categories = selectors.coding_screen(question)
    for answer in answers:
        ticks, unique = posted.get(
            answer.pk, ([c.pk for c in answer.categories.all()], answer.unique_remark)
        )
        answer.ticked = set(ticks)  # type: ignore[attr-defined]
        answer.unique_ticked = unique  # type: ignore[attr-defined]
    return render(
        request,
        "surveys/coding.html",
        {
            "survey": question.survey,
            "question": question,
            "answers": answers,
            "categories": categories,
            "category_form": category_form,
            "rename_form": rename_form,
            "merge_form": merge_form,
            "unique_count": sum(1 for a in answers if a.unique_remark),
        },
        status=400 if request.method == "POST" else 200,
    )
