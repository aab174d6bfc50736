"""Reads of the register: filtered lists and a school's history in words."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from selfscan.accounts.permissions import (
    visible_besturen,
    visible_register_uploads,
    visible_schools,
)

from .models import SCHOOL_REGISTER_FIELDS, Bestuur, RegisterUpload, School, Stadsdeel, Wijk

HISTORY_FIELDS = SCHOOL_REGISTER_FIELDS


def school_list(
    user: Any,
    *,
    q: str = "",
    sector: str = "",
    wijk: str = "",
    bestuur: str = "",
    status: str = "",
) -> QuerySet[School]:
    """The schools `user` may see, filtered; one query with wijk, stadsdeel and bestuur."""
    qs = visible_schools(user, School.objects.select_related("wijk__stadsdeel", "bestuur"))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(vestigingscode__icontains=q))
    if sector:
        qs = qs.filter(sector=sector)
    if wijk.isdigit():
        qs = qs.filter(wijk_id=int(wijk))
    if bestuur.isdigit():
        qs = qs.filter(bestuur_id=int(bestuur))
    if status == "actief":
        qs = qs.filter(pk__in=School.objects.active().values("pk"))
    elif status == "gesloten":
        qs = qs.filter(pk__in=School.objects.closed().values("pk"))
    return qs.order_by("sector", "name")


def stadsdelen_with_wijken() -> QuerySet[Stadsdeel]:
    """Stadsdelen with their wijken and each wijk's number of active schools (two queries)."""
    from django.db.models import Prefetch

    today = timezone.localdate()
    active = Q(schools__active_to__isnull=True) | Q(schools__active_to__gte=today)
    wijken = Wijk.objects.annotate(school_count=Count("schools", filter=active)).order_by("name")
    return Stadsdeel.objects.prefetch_related(Prefetch("wijken", queryset=wijken)).order_by("name")


def bestuur_list(user: Any) -> QuerySet[Bestuur]:
    return visible_besturen(user).annotate(school_count=Count("schools")).order_by("name")


@dataclass(frozen=True)
class HistoryChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    by: str
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str
    changes: list[HistoryChange]


def school_history(school: School) -> list[HistoryEntry]:
    """The school's versions, newest first, each with its changed fields in words."""
    records = list(school.history.select_related("history_user").order_by("history_date", "pk"))
    wijken = {w.pk: w.name for w in Wijk.objects.all()}
    besturen = {b.pk: b.name for b in Bestuur.objects.all()}
    fields = {f: School._meta.get_field(f) for f in HISTORY_FIELDS}
    labels = {f: str(getattr(field, "verbose_name", f)) for f, field in fields.items()}

    def show(field: str, value: Any) -> str:
        if value in (None, ""):
            return "–"
        if field == "wijk":
            return wijken.get(value, str(value))
        if field == "bestuur":
            return besturen.get(value, str(value))
        if isinstance(value, datetime.date):
            return date_format(value, "DATE_FORMAT")
        return str(value)

    entries = []
    previous = None
    for version in records:
        changes: list[HistoryChange] = []
        if previous is not None:
            for field in HISTORY_FIELDS:
                attname = getattr(fields[field], "attname", field)
                old, new = getattr(previous, attname), getattr(version, attname)
                if old != new:
                    changes.append(HistoryChange(labels[field], show(field, old), show(field, new)))
        if previous is None or changes or version.history_type != "~":
            user = version.history_user
            entries.append(
                HistoryEntry(
                    at=timezone.localtime(version.history_date),
                    by=str(user) if user else _("systeem (import of demo)"),
                    kind=version.history_type,
                    reason=version.history_change_reason or "",
                    changes=changes,
                )
            )
        previous = version
    entries.reverse()
    return entries


@dataclass(frozen=True)
class RegisterSnapshot:
    """A school's register attributes as they were at one moment (for rounds and reports)."""

    school_id: int
    name: str
    sector: str
    subtype: str
    wijk_id: int | None
    bestuur_id: int
    active_to: datetime.date | None


def school_as_of(school: School, when: datetime.datetime) -> RegisterSnapshot | None:
    """The school's attributes at `when` from its history; None when it was not yet registered."""
    version = school.history.filter(history_date__lte=when).order_by("-history_date", "-pk").first()
    if version is None or version.history_type == "-":
        return None
    return RegisterSnapshot(
        school_id=school.pk,
        name=version.name,
        sector=version.sector,
        subtype=version.subtype,
        wijk_id=version.wijk_id,
        bestuur_id=version.bestuur_id,
        active_to=version.active_to,
    )


def waiting_register_upload(*, user: Any, sha256: str) -> RegisterUpload | None:
    """The file `user` dry-ran with this digest, if it still waits (not applied, not expired)."""
    return (
        RegisterUpload.objects.filter(
            uploaded_by=user,
            sha256=sha256,
            status=RegisterUpload.Status.DONE,
            applicable=True,
            uploaded_at__gte=timezone.now() - RegisterUpload.KEPT_FOR,
        )
        .order_by("-uploaded_at")
        .first()
    )


def register_upload(user: Any, pk: int) -> RegisterUpload | None:
    """The register file `pk` if `user` may see it (the rule:
    `permissions.visible_register_uploads`), without its bytes."""
    return (
        visible_register_uploads(user, RegisterUpload.objects.defer("content"))
        .filter(pk=pk)
        .first()
    )


def latest_register_upload(user: Any) -> RegisterUpload | None:
    """The register file `user` uploaded last, while it is kept (for the upload page's link)."""
    return (
        visible_register_uploads(user, RegisterUpload.objects.defer("content"))
        .filter(uploaded_at__gte=timezone.now() - RegisterUpload.KEPT_FOR)
        .order_by("-uploaded_at")
        .first()
    )
