"""The sweeper: background jobs that show no sign of life past a time limit are marked failed.

A worker that is killed mid-job (out of memory, a deploy, a crash) leaves its job `bezig` with
nobody working on it. Every few minutes the beat task `core.sweep_stalled_jobs` (or by hand
`manage.py sweep_stalled_jobs`) marks every export job, import upload and register dry run
that is waiting or running and has not moved for `JOB_STALLED_AFTER_MINUTES` as failed with the
code STALLED; its page then stops refreshing, says that the job stopped without a result and
offers to try again. A late task for a job marked failed does nothing, so nothing runs twice
behind the person's back (docs/decisions/0170-enqueue-and-sweeper.md).
"""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from selfscan.core.jobs import STALLED

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Swept:
    exports: int
    imports: int
    registers: int = 0  # register files waiting for their dry run (decision 0163)

    @property
    def total(self) -> int:
        return self.exports + self.imports + self.registers

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def stalled_after() -> timedelta:
    return timedelta(minutes=settings.JOB_STALLED_AFTER_MINUTES)


def sweep(*, now: datetime | None = None, after: timedelta | None = None) -> Swept:
    """Mark jobs without a sign of life since `now - after` (default: the setting) as failed.
    Each is one conditional UPDATE, so a job that finishes meanwhile is left as it is."""
    from selfscan.exports.models import ExportJob
    from selfscan.imports import jobs as import_jobs
    from selfscan.organisations import jobs as register_jobs

    now = now or timezone.now()
    cutoff = now - (after if after is not None else stalled_after())
    exports = ExportJob.objects.filter(
        status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING], updated_at__lt=cutoff
    ).update(status=ExportJob.Status.FAILED, error=STALLED, finished_at=now, updated_at=now)
    imports = import_jobs.fail_stalled(cutoff=cutoff, now=now)
    registers = register_jobs.fail_stalled(cutoff=cutoff, now=now)
    swept = Swept(exports=exports, imports=imports, registers=registers)
    if swept.total:
        log.warning(
            "Marked stalled background jobs as failed: %s exports, %s imports, %s registers",
            swept.exports,
            swept.imports,
            swept.registers,
        )
    return swept
