"""Staff pages: upload a results file, see the dry run, confirm; and the example files."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from selfscan.accounts import permissions as perms
from selfscan.core.access import require
from selfscan.norms.models import NormVersion

from . import selectors, services, writing
from .forms import ConfirmForm, UploadForm
from .models import RoundImport

SHOWN_PROBLEMS = 500
FORMATS: dict[str, tuple[str, Callable[[list[list[str]]], bytes]]] = {
    "csv": ("text/csv; charset=utf-8", writing.to_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        writing.to_xlsx,
    ),
}
LAYOUT_NAMES = {"breed": "wide", "lang": "long"}


def _context(report: services.ImportReport | None) -> dict[str, object]:
    if report is None:
        return {}
    return {
        "report": report,
        "problems": report.problems[:SHOWN_PROBLEMS],
        "hidden_problems": max(0, len(report.problems) - SHOWN_PROBLEMS),
    }


@require(perms.can_manage_rounds)
def start(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.check_upload(
            round=form.cleaned_data["round"],
            content=upload.read(),
            file_name=upload.name,
            by=request.user,
            layout=form.cleaned_data["layout"],
        )
        if report.ok and report.record is not None:
            return redirect("imports:detail", pk=report.record.pk)
    context = {
        "form": form,
        "imports": selectors.recent_imports(),
        "versions": NormVersion.objects.select_related("norm").order_by("norm__key", "-label"),
        **_context(report),
    }
    return render(request, "imports/start.html", context)


@require(perms.can_manage_rounds)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    import_record = get_object_or_404(RoundImport.objects.select_related("round"), pk=pk)
    report = None if import_record.is_applied else services.recheck(import_record)
    context = {
        "import": import_record,
        "confirm_form": ConfirmForm(initial={"sha256": import_record.sha256}),
        **_context(report),
    }
    return render(request, "imports/detail.html", context)


@require(perms.can_manage_rounds)
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    import_record = get_object_or_404(RoundImport.objects.select_related("round"), pk=pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid() or form.cleaned_data["sha256"] != import_record.sha256:
        messages.error(
            request, _("Het formulier hoort niet bij dit bestand; er is niets opgeslagen.")
        )
        return redirect("imports:detail", pk=pk)
    try:
        report = services.apply_checked(import_record, by=request.user)
    except services.ImportRefused:
        messages.error(
            request,
            _("De import is geweigerd: het bestand bevat nu fouten. Er is niets opgeslagen."),
        )
        return redirect("imports:detail", pk=pk)
    messages.success(
        request,
        _(
            "Geïmporteerd: %(schools)s scholen (%(complete)s volledig en ingediend), "
            "%(answers)s antwoorden."
        )
        % {
            "schools": len(report.schools_to_import),
            "complete": report.complete_count,
            "answers": report.answer_count,
        },
    )
    assert report.record is not None
    return redirect("imports:detail", pk=report.record.pk)


@require(perms.can_manage_rounds)
def example(request: HttpRequest, version_pk: int, layout: str, fmt: str) -> HttpResponse:
    if layout not in LAYOUT_NAMES or fmt not in FORMATS:
        raise Http404
    version = get_object_or_404(NormVersion.objects.select_related("norm"), pk=version_pk)
    content_type, write = FORMATS[fmt]
    rows = selectors.example_rows(version, LAYOUT_NAMES[layout])
    response = HttpResponse(write(rows), content_type=content_type)
    name = f"voorbeeld-{layout}-{slugify(f'{version.norm.key}-{version.label}')}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
