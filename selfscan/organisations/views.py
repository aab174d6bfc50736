import hashlib
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from selfscan.accounts import permissions as perms
from selfscan.core.access import require

from . import importer, jobs, selectors, services
from .forms import (
    BestuurForm,
    ImportApplyForm,
    ImportUploadForm,
    SchoolFilterForm,
    SchoolForm,
    StadsdeelForm,
    WijkForm,
)
from .models import Bestuur, RegisterUpload, School, Stadsdeel, Wijk


@require(perms.can_manage_register)
def school_list(request: HttpRequest) -> HttpResponse:
    form = SchoolFilterForm(request.GET or None)
    filters = {"q": "", "sector": "", "wijk": "", "bestuur": "", "status": ""}
    if form.is_valid():
        data = form.cleaned_data
        filters.update(
            q=data["q"].strip(),
            sector=data["sector"],
            wijk=str(data["wijk"].pk) if data["wijk"] else "",
            bestuur=str(data["bestuur"].pk) if data["bestuur"] else "",
            status=data["status"],
        )
    schools = list(selectors.school_list(request.user, **filters))
    return render(request, "organisations/school_list.html", {"form": form, "schools": schools})


@require(perms.is_member)
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(
        perms.visible_schools(request.user, School.objects.select_related("wijk", "bestuur")),
        pk=pk,
    )
    return render(
        request,
        "organisations/school_detail.html",
        {
            "school": school,
            # History names staff and import files: for the register's managers only.
            "history": (
                selectors.school_history(school)
                if perms.can_manage_register(request.user)
                else None
            ),
            "can_edit": perms.can_manage_register(request.user),
        },
    )


@require(perms.can_manage_register)
def school_create(request: HttpRequest) -> HttpResponse:
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school = services.save_school(school=None, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("De school is toegevoegd."))
        return redirect("organisations:school_detail", pk=school.pk)
    return render(
        request, "organisations/form.html", {"form": form, "title": _("School toevoegen")}
    )


@require(perms.can_manage_register)
def school_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(School, pk=pk)
    form = SchoolForm(request.POST or None, instance=School.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.save_school(school=school, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("De wijzigingen zijn opgeslagen."))
        return redirect("organisations:school_detail", pk=school.pk)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "title": _("School wijzigen: %(name)s") % {"name": school.name}},
    )


@require(perms.can_manage_register)
def bestuur_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisations/bestuur_list.html",
        {"besturen": selectors.bestuur_list(request.user)},
    )


@require(perms.is_member)
def bestuur_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bestuur = get_object_or_404(perms.visible_besturen(request.user), pk=pk)
    schools = perms.visible_schools(request.user, bestuur.schools.select_related("wijk")).order_by(
        "sector", "name"
    )
    return render(
        request,
        "organisations/bestuur_detail.html",
        {
            "bestuur": bestuur,
            "schools": schools,
            "can_edit": perms.can_manage_register(request.user),
        },
    )


@require(perms.can_manage_register)
def bestuur_create(request: HttpRequest) -> HttpResponse:
    form = BestuurForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bestuur = services.save_bestuur(bestuur=None, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("Het bestuur is toegevoegd."))
        return redirect("organisations:bestuur_detail", pk=bestuur.pk)
    return render(
        request, "organisations/form.html", {"form": form, "title": _("Bestuur toevoegen")}
    )


@require(perms.can_manage_register)
def bestuur_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bestuur = get_object_or_404(Bestuur, pk=pk)
    form = BestuurForm(request.POST or None, instance=Bestuur.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.save_bestuur(bestuur=bestuur, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("De wijzigingen zijn opgeslagen."))
        return redirect("organisations:bestuur_detail", pk=bestuur.pk)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "title": _("Bestuur wijzigen: %(name)s") % {"name": bestuur.name}},
    )


@require(perms.can_manage_register)
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file and show the dry run; the file waits in the database for the confirm.

    With a broker the dry run is a background job and this request only keeps the file and
    redirects to the job's page; without one it runs here (decision 0163)."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        close_missing = form.cleaned_data["close_missing"]
        if jobs.in_background():
            record = jobs.start_check(
                user=request.user,
                content=content,
                file_name=upload.name,
                close_missing=close_missing,
            )
            return redirect("organisations:import_job", pk=record.pk)
        plan = importer.plan_import(content, upload.name, close_missing=close_missing)
        digest = hashlib.sha256(content).hexdigest()
        if plan.ok and not plan.is_noop:
            services.keep_register_upload(
                user=request.user,
                content=content,
                file_name=upload.name,
                sha256=digest,
                close_missing=close_missing,
                report=jobs.report_of(plan),
            )
        context.update(plan=plan, apply_form=ImportApplyForm(initial={"digest": digest}))
    context["latest"] = selectors.latest_register_upload(request.user)
    return render(request, "organisations/import.html", context)


@require(perms.can_manage_register)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A register file's dry run: its status while it waits or runs (the page refreshes itself,
    without JavaScript), then its report and the confirm form."""
    record = selectors.register_upload(request.user, pk)
    if record is None:
        raise Http404
    expired = jobs.is_expired(record)
    done = record.status == RegisterUpload.Status.DONE
    may_apply = done and record.applicable and not expired
    context = {
        "upload": record,
        "plan": jobs.shown_plan(record.report) if done else None,
        "expired": expired,
        "refresh": record.is_running and not expired,
        "retry": jobs.may_retry(record),
        "apply_form": ImportApplyForm(initial={"digest": record.sha256}) if may_apply else None,
    }
    return render(request, "organisations/import_job.html", context)


@require(perms.can_manage_register)
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Start again a dry run that could not start or stopped without a result."""
    record = selectors.register_upload(request.user, pk)
    if record is None:
        raise Http404
    if not jobs.retry_check(record):
        messages.info(
            request, _("Deze proefrun loopt al of is afgerond; er is niets opnieuw gestart.")
        )
    return redirect("organisations:import_job", pk=pk)


@require(perms.can_manage_register)
@require_POST
def import_apply(request: HttpRequest) -> HttpResponse:
    """Apply the file of the dry run; it is validated again against the register as it is now."""
    form = ImportApplyForm(request.POST)
    stored = (
        selectors.waiting_register_upload(user=request.user, sha256=form.cleaned_data["digest"])
        if form.is_valid()
        else None
    )
    if stored is None:
        messages.error(
            request, _("Deze proefrun is niet meer beschikbaar. Upload het bestand opnieuw.")
        )
        return redirect("organisations:import")
    try:
        plan = services.apply_register_import(
            bytes(stored.content),
            stored.file_name,
            actor=request.user,
            close_missing=stored.close_missing,
        )
    except services.ImportRefused as refused:
        services.discard_register_upload(stored)
        return render(
            request,
            "organisations/import.html",
            {"form": ImportUploadForm(), "plan": refused.plan, "refused": True},
        )
    services.discard_register_upload(stored)
    messages.success(
        request,
        _("Import doorgevoerd: %(new)d nieuw, %(changed)d gewijzigd, %(closed)d gesloten.")
        % {"new": len(plan.creates), "changed": len(plan.changes), "closed": len(plan.closes)},
    )
    return redirect("organisations:school_list")


@require(perms.can_manage_register)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="scholenregister-sjabloon.csv"'
    return response


@require(perms.can_manage_register)
def area_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisations/area_list.html",
        {"stadsdelen": selectors.stadsdelen_with_wijken()},
    )


def _area_form(
    request: HttpRequest, model: Any, form_class: Any, pk: int | None, title: str
) -> HttpResponse:
    obj = get_object_or_404(model, pk=pk) if pk is not None else None
    form = form_class(
        request.POST or None, instance=model.objects.get(pk=pk) if pk is not None else None
    )
    if request.method == "POST" and form.is_valid():
        services.save_area(obj=obj, model=model, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("De wijzigingen zijn opgeslagen."))
        return redirect("organisations:area_list")
    return render(request, "organisations/form.html", {"form": form, "title": title})


@require(perms.can_manage_register)
def wijk_create(request: HttpRequest) -> HttpResponse:
    return _area_form(request, Wijk, WijkForm, None, _("Wijk toevoegen"))


@require(perms.can_manage_register)
def wijk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _area_form(request, Wijk, WijkForm, pk, _("Wijk wijzigen"))


@require(perms.can_manage_register)
def stadsdeel_create(request: HttpRequest) -> HttpResponse:
    return _area_form(request, Stadsdeel, StadsdeelForm, None, _("Stadsdeel toevoegen"))


@require(perms.can_manage_register)
def stadsdeel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _area_form(request, Stadsdeel, StadsdeelForm, pk, _("Stadsdeel wijzigen"))
