"""A norm version's questionnaire (themes, statements, scale) read once and kept in the cache.

Every autosave and every wizard step needs the statements of the scan's norm version: which
statement belongs to which theme and sector, whether n.v.t. is allowed, the scale's codes and
labels. They hardly ever change, so they come from Django's cache (Redis when `CACHE_URL` is
set, shared by every app server; see docs/scaling.md) instead of two queries per request.
Any save or delete of a norm version, theme, statement or scale level drops the version's entry
(signals below), so a change is seen by the next request on every app server.

Unpickling the questionnaire (some hundred model instances) cost more CPU than the rest of an
autosave's work, and a save needs it several times. So each process also keeps the unpickled
questionnaire in memory, under the stamp stored beside it in the shared cache: a request checks
the small stamp once (one cache read) and uses the kept copy while the stamp is unchanged; a
dropped entry drops the stamp, so every process reloads. The kept questionnaire is shared by the
process's requests: read it, never change it.
"""

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import NormVersion, ScaleLevel, Statement, Theme

TIMEOUT = 15 * 60


@dataclass
class VersionQuestionnaire:
    """The statements of one norm version in questionnaire order, and its scale."""

    version_id: int
    statements: list[Statement]
    scale: list[ScaleLevel]
    by_id: dict[int, Statement] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {s.pk: s for s in self.statements}

    def applicable(self, sector: str) -> list[Statement]:
        return [s for s in self.statements if s.applies_to(sector)]

    @property
    def codes(self) -> list[str]:
        return [level.code for level in self.scale]


def _key(version_id: int) -> str:
    return f"norms:questionnaire:v2:{version_id}"


def _stamp_key(version_id: int) -> str:
    return f"norms:questionnaire-stamp:v2:{version_id}"


def _load(version_id: int) -> VersionQuestionnaire:
    statements = list(Statement.objects.filter(version_id=version_id).select_related("theme"))
    statements.sort(key=lambda s: (s.theme.order, s.theme_id, s.order, s.pk))
    scale = list(ScaleLevel.objects.filter(version_id=version_id).order_by("order"))
    return VersionQuestionnaire(version_id, statements, scale)


# version id -> (stamp, questionnaire): this process's unpickled copies
_kept: dict[int, tuple[str, VersionQuestionnaire]] = {}
# per thread, during a request: the versions whose stamp this request has checked already
_checked = threading.local()


def _request_started(**kwargs: Any) -> None:
    _checked.versions = set()


def _request_finished(**kwargs: Any) -> None:
    _checked.versions = None


request_started.connect(_request_started, dispatch_uid="norms-cache-request-started")
request_finished.connect(_request_finished, dispatch_uid="norms-cache-request-finished")


def questionnaire(version_id: int) -> VersionQuestionnaire:
    """The version's questionnaire: this process's copy while the shared stamp is unchanged
    (checked once per request, every time outside a request), else from the cache, else two
    queries that fill it."""
    checked: set[int] | None = getattr(_checked, "versions", None)
    kept = _kept.get(version_id)
    if kept is not None and checked is not None and version_id in checked:
        return kept[1]
    stamp = cache.get(_stamp_key(version_id))
    if kept is None or stamp is None or kept[0] != stamp:
        found = cache.get(_key(version_id)) if stamp is not None else None
        if (
            isinstance(found, tuple)
            and found[0] == stamp
            and isinstance(found[1], VersionQuestionnaire)
        ):
            kept = found
        else:
            kept = (uuid.uuid4().hex, _load(version_id))
            cache.set_many({_key(version_id): kept, _stamp_key(version_id): kept[0]}, TIMEOUT)
        _kept[version_id] = kept
    if checked is not None:
        checked.add(version_id)
    return kept[1]


def forget(version_ids: Sequence[int]) -> None:
    cache.delete_many([key for pk in version_ids for key in (_stamp_key(pk), _key(pk))])
    for pk in version_ids:
        _kept.pop(pk, None)


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    version_id = instance.pk if isinstance(instance, NormVersion) else instance.version_id
    if version_id is not None:
        # Now, and again at commit: a request in between may have cached the old rows.
        forget([version_id])
        transaction.on_commit(lambda: forget([version_id]))


for _model in (NormVersion, Theme, Statement, ScaleLevel):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"norms-cache-save-{_model.__name__}")
    post_delete.connect(
        _changed, sender=_model, dispatch_uid=f"norms-cache-delete-{_model.__name__}"
    )
