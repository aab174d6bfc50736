"""Staff pages: upload a results file, follow its dry run, confirm; and the example files.

The dry run and the import run as background jobs (`selfscan.imports.jobs`); these views only
start them and show the record, so no request waits for a file however large it is.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from selfscan.accounts import permissions as perms
from selfscan.core.access import require
from selfscan.norms.models import NormVersion

from . import jobs, selectors, writing
from .forms import ConfirmForm, UploadForm

FORMATS: dict[str, tuple[str, Callable[[list[list[str]]], bytes]]] = {
    "csv": ("text/csv; charset=utf-8", writing.to_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        writing.to_xlsx,
    ),
}
LAYOUT_NAMES = {"breed": "wide", "lang": "long"}


@require(perms.can_manage_rounds)
def start(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = jobs.start_check(
            round=form.cleaned_data["round"],
            content=upload.read(),
            file_name=upload.name,
            by=request.user,
            layout=form.cleaned_data["layout"],
        )
        return redirect("imports:detail", pk=record.pk)
    context = {
        "form": form,
        "imports": selectors.recent_imports(request.user),
        "versions": NormVersion.objects.select_related("norm").order_by("norm__key", "-label"),
    }
    return render(request, "imports/start.html", context)


@require(perms.can_manage_rounds)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        selectors.visible_imports(request.user).select_related(
            "round", "uploaded_by", "applied_by"
        ),
        pk=pk,
    )
    earlier = selectors.same_file_applied(record) if not record.is_applied else None
    may_confirm = (
        record.status == record.Status.CHECKED
        and not record.is_expired
        and earlier is None
        and perms.can_confirm_import(request.user, record)
    )
    context = {
        "import": record,
        "report": selectors.stored_report(record),
        "earlier": earlier,
        "refresh": record.is_running and not record.is_stuck,
        "confirm_form": ConfirmForm(initial={"sha256": record.sha256}) if may_confirm else None,
        "retry": jobs.may_retry(record) and perms.can_confirm_import(request.user, record),
    }
    return render(request, "imports/detail.html", context)


CONFIRM_MESSAGES = {
    jobs.MISMATCH: _("Het formulier hoort niet bij dit bestand; er is niets opgeslagen."),
    jobs.NOT_CHECKED: _(
        "Alleen een bestand waarvan de proefimport zonder fouten is afgerond, kan worden "
        "toegepast. Er is niets opgeslagen."
    ),
    jobs.EXPIRED: _(
        "Deze proefimport is verlopen: bevestig binnen twee dagen na het uploaden. Upload het "
        "bestand opnieuw. Er is niets opgeslagen."
    ),
    jobs.BUSY: _("Dit bestand wordt al toegepast; het wordt maar één keer opgeslagen."),
    jobs.APPLIED: _("Dit bestand is al toegepast; er is niets dubbel opgeslagen."),
}


@require(perms.can_manage_rounds)
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        selectors.visible_imports(request.user).select_related("round"), pk=pk
    )
    if not perms.can_confirm_import(request.user, record):
        raise Http404
    form = ConfirmForm(request.POST)
    sha256 = form.cleaned_data["sha256"] if form.is_valid() else ""
    outcome = jobs.confirm_import(record, by=request.user, sha256=sha256)
    if outcome != jobs.QUEUED:
        level = messages.INFO if outcome in (jobs.BUSY, jobs.APPLIED) else messages.ERROR
        messages.add_message(request, level, CONFIRM_MESSAGES[outcome])
    return redirect("imports:detail", pk=pk)


RETRY_MESSAGES = {
    jobs.EXPIRED: CONFIRM_MESSAGES[jobs.EXPIRED],
    jobs.NOT_FAILED: _("Deze verwerking loopt al of is afgerond; er is niets opnieuw gestart."),
}


@require(perms.can_manage_rounds)
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Start again a dry run or import that could not start or stopped without a result."""
    record = get_object_or_404(
        selectors.visible_imports(request.user).select_related("round"), pk=pk
    )
    if not perms.can_confirm_import(request.user, record):
        raise Http404
    outcome = jobs.retry_import(record, by=request.user)
    if outcome != jobs.QUEUED:
        messages.info(request, RETRY_MESSAGES[outcome])
    return redirect("imports:detail", pk=pk)


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
