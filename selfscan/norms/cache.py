"""A norm version's questionnaire (themes, statements, scale) read once and kept in the cache.

Every autosave and every wizard step needs the statements of the scan's norm version: which
statement belongs to which theme and sector, whether n.v.t. is allowed, the scale's codes and
labels. They hardly ever change, so they come from Django's cache (Redis when `CACHE_URL` is
set, shared by every app server; see docs/scaling.md) instead of two queries per request.
Any save or delete of a norm version, theme, statement or scale level drops the version's entry
(signals below), so a change is seen by the next request on every app server.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
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
    return f"norms:questionnaire:v1:{version_id}"


def _load(version_id: int) -> VersionQuestionnaire:
    statements = list(Statement.objects.filter(version_id=version_id).select_related("theme"))
    statements.sort(key=lambda s: (s.theme.order, s.theme_id, s.order, s.pk))
    scale = list(ScaleLevel.objects.filter(version_id=version_id).order_by("order"))
    return VersionQuestionnaire(version_id, statements, scale)


def questionnaire(version_id: int) -> VersionQuestionnaire:
    """The version's questionnaire: from the cache, or two queries that fill it."""
    found = cache.get(_key(version_id))
    if isinstance(found, VersionQuestionnaire):
        return found
    loaded = _load(version_id)
    cache.set(_key(version_id), loaded, TIMEOUT)
    return loaded


def forget(version_ids: Sequence[int]) -> None:
    cache.delete_many([_key(pk) for pk in version_ids])


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
