"""Export pages: choose an export; small ones download at once, large ones run in the background."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from selfscan.accounts import permissions
from selfscan.core.access import require
from selfscan.exports import services
from selfscan.exports.forms import ExportForm
from selfscan.exports.models import ExportJob

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _file(name: str, content: bytes, file_format: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require(permissions.can_export)
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST or None, initial={"kind": "scholen", "file_format": "xlsx"})
    if request.method == "POST" and form.is_valid():
        round_ = form.cleaned_data["round"]
        kind = form.cleaned_data["kind"]
        file_format = form.cleaned_data["file_format"]
        if services.is_large(request.user, round_, kind):
            job = services.request_export(
                user=request.user, round_=round_, kind=kind, file_format=file_format
            )
            return redirect("exports:job", pk=job.pk)
        name, content = services.build(request.user, round_, kind, file_format)
        return _file(name, content, file_format)
    jobs = permissions.visible_export_jobs(request.user, ExportJob.objects.defer("content"))[:10]
    return render(request, "exports/index.html", {"form": form, "jobs": jobs})


# The job pages: any member reaches their own jobs (an adviser only school report PDFs);
# `visible_export_jobs` decides, everyone else gets a 404.
@require(permissions.is_member)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(
        permissions.visible_export_jobs(
            request.user, ExportJob.objects.defer("content").select_related("scan__school", "round")
        ),
        pk=pk,
    )
    return render(
        request, "exports/job.html", {"job": export, "kept_until": services.kept_until(export)}
    )


@require(permissions.is_member)
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(
        permissions.visible_export_jobs(request.user, ExportJob.objects.defer("content")), pk=pk
    )
    if not services.retry_export(export):
        messages.info(request, _("Deze export loopt al of is klaar; er is niets opnieuw gestart."))
    return redirect("exports:job", pk=pk)


@require(permissions.is_member)
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(
        permissions.visible_export_jobs(request.user), pk=pk, status=ExportJob.Status.DONE
    )
    return _file(export.file_name, bytes(export.content), export.file_format)
