"""Norm browser (everyone logged in) and the upload of norm files (partnership staff)."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from selfscan.accounts import permissions as perms
from selfscan.core.access import require

from . import selectors
from .forms import CompareForm, PublishForm, SectorFilterForm, UploadForm
from .services import (
    LoadReport,
    NormSource,
    describe,
    discard_norm_upload,
    keep_norm_upload,
    load_norm_files,
    validate_norm_files,
    waiting_norm_upload,
)


@require(perms.can_view_norms)
def index(request: HttpRequest) -> HttpResponse:
    versions = list(perms.visible_norm_versions(request.user, selectors.version_list()))
    return render(
        request,
        "norms/index.html",
        {
            "versions": versions,
            # A version whose previous one the user may not see (a concept) offers no comparison
            # with it: the changes page compares with the nearest earlier version they may see.
            "previous_visible": {
                v.pk
                for v in versions
                if v.previous is not None and perms.can_view_norm_version(request.user, v.previous)
            },
            "can_manage": perms.can_manage_norms(request.user),
        },
    )


@require(perms.can_view_norms)
def version_detail(request: HttpRequest, key: str, label: str) -> HttpResponse:
    version = get_object_or_404(
        perms.visible_norm_versions(request.user, selectors.version_queryset()),
        norm__key=key,
        label=label,
    )
    form = SectorFilterForm(request.GET or None)
    sector = None
    if form.is_valid():
        sector = form.cleaned_data["sector"] or None
    view = selectors.version_view(version, sector)
    return render(
        request,
        "norms/version.html",
        {
            "form": form,
            "view": view,
            "version": version,
            "scale": version.scale.all(),
            "show_previous": version.previous is not None
            and perms.can_view_norm_version(request.user, version.previous),
        },
    )


@require(perms.can_view_norms)
def changes(request: HttpRequest, key: str, label: str) -> HttpResponse:
    """What changed from the previous version (or an earlier one, `?van=<label>`)."""
    version = get_object_or_404(
        perms.visible_norm_versions(request.user, selectors.version_queryset()),
        norm__key=key,
        label=label,
    )
    earlier = [
        earlier_version
        for earlier_version in selectors.earlier_versions(version)
        if perms.can_view_norm_version(request.user, earlier_version)
    ]
    form = CompareForm(request.GET or None, versions=earlier)
    old = earlier[0] if earlier else None
    if form.is_valid() and form.cleaned_data["van"]:
        old = next(v for v in earlier if v.label == form.cleaned_data["van"])
    diff = selectors.version_changes(version, old) if old is not None else None
    if diff is None:
        raise Http404
    return render(
        request,
        "norms/changes.html",
        {"diff": diff, "version": version, "form": form if len(earlier) > 1 else None},
    )


def _upload_page(
    request: HttpRequest,
    form: UploadForm,
    report: LoadReport | None = None,
    token: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "report": report, "token": token}
    if report is not None and report.ok:
        plan = report.plans[0]
        assert plan.model is not None
        context["plan"] = plan
        context["summary"] = describe(plan, dry_run=True)
        context["preview"] = selectors.file_preview(plan.model)
        context["publish_form"] = PublishForm(initial={"token": token})
    return render(request, "norms/upload.html", context, status=status)


@require(perms.can_manage_norms)
def upload(request: HttpRequest) -> HttpResponse:
    """Validate an uploaded file and show its preview; the content waits in the database."""
    if request.method != "POST":
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form)
    upload = form.cleaned_data["bestand"]
    source = NormSource(name=upload.name, content=upload.read())
    report = validate_norm_files([source])
    token = ""
    if report.ok:
        token = keep_norm_upload(user=request.user, source=source)
    else:
        discard_norm_upload(user=request.user)
    return _upload_page(request, UploadForm(), report, token)


@require(perms.can_manage_norms)
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    """Load the file kept for this user, validating it again first."""
    form = PublishForm(request.POST)
    source = (
        waiting_norm_upload(user=request.user, token=form.cleaned_data["token"])
        if form.is_valid()
        else None
    )
    if source is None:
        messages.error(
            request, _("Er staat geen gecontroleerd bestand klaar. Upload het bestand opnieuw.")
        )
        return redirect("norms:upload")
    report = load_norm_files([source], actor=request.user)
    discard_norm_upload(user=request.user)
    if not report.ok:
        return _upload_page(request, UploadForm(), report, status=200)
    version = report.versions[0]
    if report.written:
        messages.success(
            request,
            _("Versie %(label)s van %(norm)s is gepubliceerd.")
            % {"label": version.label, "norm": version.norm.name},
        )
    elif report.concurrent:
        messages.info(
            request,
            _(
                "Versie %(label)s van %(norm)s is op hetzelfde moment door iemand anders "
                "gepubliceerd, met dezelfde inhoud; er is niets dubbel opgeslagen."
            )
            % {"label": version.label, "norm": version.norm.name},
        )
    else:
        messages.info(
            request,
            _("Versie %(label)s van %(norm)s is ongewijzigd: dezelfde inhoud was al geladen.")
            % {"label": version.label, "norm": version.norm.name},
        )
    return redirect("norms:version", key=version.norm.key, label=version.label)
