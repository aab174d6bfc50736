"""Exports of results within a user's access: school level (with each theme's reflection and
improvement actions), statement level and improvement actions, CSV and XLSX.

Every cell passes `safe_cell`, so nothing a school typed can run as a spreadsheet formula. The
statement-level export has one row per school × statement with the columns the round import
reads back (vestigingscode, stellingcode, antwoord, toelichting). Large exports run as a Celery
task (`ExportJob`), enqueued after commit; only the requester can download the file. A job that
could not be enqueued (broker down) or stopped without a result (the sweeper) is `mislukt` and
its requester can start it again (`retry_export`; docs/decisions/0170-enqueue-and-sweeper.md).
"""

import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook

from selfscan.accounts import permissions
from selfscan.core import spreadsheets
from selfscan.core.jobs import MAX_ATTEMPTS, STALLED, UNAVAILABLE
from selfscan.core.spreadsheets import CsvDialect, safe_row
from selfscan.core.tasks import enqueue_on_commit
from selfscan.core.xlsx import add_sheet
from selfscan.exports.models import SCHOOL_REPORT, ExportJob
from selfscan.norms.models import Theme
from selfscan.results.models import AggregateRow
from selfscan.results.services import ensure_results
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, ThemeReflection

KINDS = ("scholen", "stellingen", "verbeteracties")
FORMATS = ("csv", "xlsx")
ASYNC_ROWS = 20000  # more rows than this: a background task with a progress page

Progress = Callable[[int], None]

log = logging.getLogger(__name__)


def _share(sufficient: int, answered: int) -> float | None:
    return round(sufficient / answered, 4) if answered else None


def school_dictionary(themes: list[Theme]) -> list[tuple[str, str]]:
    columns = [
        ("vestigingscode", _("DUO-vestigingscode van de school")),
        ("school", _("Naam van de school")),
        ("sector", _("Sector bij de start van de meting (PO, VO, SV)")),
        ("wijk", _("Wijk bij de start van de meting")),
        ("stadsdeel", _("Stadsdeel bij de start van de meting")),
        ("bestuur", _("Bestuur bij de start van de meting")),
        ("status", _("Status van de zelfscan")),
        ("voldoende", _("Aantal stellingen voldoende of hoger (alleen stellingen die meetellen)")),
        ("beantwoord", _("Aantal beantwoorde stellingen, zonder n.v.t.")),
        ("nvt", _("Aantal stellingen met n.v.t.")),
        (
            "aandeel",
            _("voldoende / beantwoord, als fractie tussen 0 en 1; leeg als niets beantwoord"),
        ),
        ("voldoet", _("1 als de school aan de norm voldoet (drempel van de meting), 0 zo niet")),
    ]
    for theme in themes:
        columns.append(
            (
                f"aandeel_{theme.code}",
                _("Aandeel voldoende of hoger in thema %(t)s (leeg: n.v.t.)")
                % {"t": f"{theme.code} {theme.title}"},
            )
        )
    for theme in themes:
        columns.append(
            (
                f"reflectie_{theme.code}",
                _("Reflectie van de school op thema %(t)s") % {"t": f"{theme.code} {theme.title}"},
            )
        )
        columns.append(
            (
                f"verbeteracties_{theme.code}",
                _(
                    "Verbeteracties van de school bij thema %(t)s, één per regel: wat "
                    "[status, uiterlijk klaar op] (alle velden: de export Verbeteracties)"
                )
                % {"t": f"{theme.code} {theme.title}"},
            )
        )
    return columns


def school_rows(user: Any, round_: Round) -> tuple[list[tuple[str, str]], Iterator[list[Any]]]:
    """One row per school visible to `user`, with its norm and theme figures."""
    ensure_results(round_)
    scans = list(
        permissions.visible_scans(user)
        .filter(round=round_)
        .select_related("school", "wijk", "stadsdeel", "bestuur")
        .order_by("school__vestigingscode")
    )
    keys = [str(s.school_id) for s in scans]
    rows = AggregateRow.objects.filter(round=round_, level="school", key__in=keys)
    by_key = {(r.key, r.theme_id): r for r in rows}
    versions = {s.norm_version_id for s in scans}
    themes = list(Theme.objects.filter(version_id__in=versions).order_by("version_id", "order"))
    dictionary = school_dictionary(themes)
    reflections = {
        (r.scan_id, r.theme_id): r
        for r in ThemeReflection.objects.filter(scan__in=[s.pk for s in scans]).only(
            "scan_id", "theme_id", "reflection"
        )
    }
    actions: dict[tuple[int, int], list[str]] = {}
    for action in permissions.visible_actions(user).filter(scan__in=scans).order_by("due_on", "pk"):
        due = action.due_on.strftime("%d-%m-%Y") if action.due_on else "–"
        actions.setdefault((action.scan_id, action.theme_id), []).append(
            f"{action.what} [{action.get_status_display()}, {due}]"
        )

    def generate() -> Iterator[list[Any]]:
        for scan in scans:
            norm = by_key.get((str(scan.school_id), None))
            values: list[Any] = [
                scan.school.vestigingscode,
                scan.school.name,
                scan.sector,
                scan.wijk.name if scan.wijk else "",
                scan.stadsdeel.name if scan.stadsdeel else "",
                scan.bestuur.name,
                scan.get_status_display(),
            ]
            if norm is not None and norm.submitted:
                values += [
                    norm.sufficient,
                    norm.answered,
                    norm.nvt,
                    _share(norm.sufficient, norm.answered),
                    norm.meeting,
                ]
            else:
                values += ["", "", "", "", ""]
            for theme in themes:
                row = by_key.get((str(scan.school_id), theme.pk))
                values.append(_share(row.sufficient, row.answered) if row and row.submitted else "")
            for theme in themes:
                reflection = reflections.get((scan.pk, theme.pk))
                values += [
                    reflection.reflection if reflection else "",
                    "\n".join(actions.get((scan.pk, theme.pk), [])),
                ]
            yield safe_row(values)

    return dictionary, generate()


STATEMENT_DICTIONARY = [
    ("vestigingscode", _lazy("DUO-vestigingscode van de school")),
    ("stellingcode", _lazy("Code van de stelling in de normversie van de meting")),
    ("antwoord", _lazy("Code op de antwoordschaal (1-4), NVT, of leeg als niet beantwoord")),
    ("toelichting", _lazy("Toelichting van de school bij de stelling")),
    ("uitleg nvt", _lazy("Uitleg van de school bij n.v.t.")),
    ("normversie", _lazy("Versie van de norm")),
    ("thema", _lazy("Code van het thema")),
    ("telt_mee", _lazy("1 als de stelling meetelt voor de norm, 0 bij een streefniveau")),
    ("schoolnaam", _lazy("Naam van de school")),
]


def statement_count(user: Any, round_: Round) -> int:
    return Answer.objects.filter(
        scan__in=permissions.visible_scans(user).filter(round=round_)
    ).count()


def statement_rows(user: Any, round_: Round) -> tuple[list[tuple[str, str]], Iterator[list[Any]]]:
    """One row per school × statement (visible to `user`): importable again by the round import."""
    dictionary = [(column, str(text)) for column, text in STATEMENT_DICTIONARY]
    answers = (
        Answer.objects.filter(scan__in=permissions.visible_scans(user).filter(round=round_))
        .order_by("scan__school__vestigingscode", "statement__theme__order", "statement__order")
        .values_list(
            "scan__school__vestigingscode",
            "statement__code",
            "value",
            "comment",
            "nvt_explanation",
            "scan__norm_version__label",
            "statement__theme__code",
            "statement__counts_for_norm",
            "scan__school__name",
        )
    )

    def generate() -> Iterator[list[Any]]:
        for code, statement, value, comment, nvt, version, theme, counts, name in answers.iterator(
            chunk_size=5000
        ):
            yield safe_row(
                [code, statement, value, comment, nvt, version, theme, int(counts), name]
            )

    return dictionary, generate()


ACTION_DICTIONARY = [
    ("vestigingscode", _lazy("DUO-vestigingscode van de school")),
    ("schoolnaam", _lazy("Naam van de school")),
    ("bestuur", _lazy("Bestuur bij de start van de meting")),
    ("thema", _lazy("Code van het thema")),
    ("themanaam", _lazy("Titel van het thema")),
    ("verbeteractie", _lazy("Wat het team gaat doen")),
    ("eigenaar", _lazy("Eigenaar: een teamlid van de school of een vrije naam")),
    ("uiterlijk_klaar_op", _lazy("Datum waarop de actie klaar moet zijn (leeg: geen datum)")),
    ("status", _lazy("Gepland, bezig, afgerond of vervallen")),
    ("te_laat", _lazy("1 als de datum voorbij is en de actie nog gepland of bezig is, anders 0")),
    ("notitie", _lazy("Notitie bij de actie")),
    ("gewijzigd_op", _lazy("Laatste wijziging (datum en tijd)")),
]


def action_rows(user: Any, round_: Round) -> tuple[list[tuple[str, str]], Iterator[list[Any]]]:
    """One row per improvement action of the round's schools visible to `user`."""
    from selfscan.plans.services import is_overdue

    dictionary = [(column, str(text)) for column, text in ACTION_DICTIONARY]
    actions = (
        permissions.visible_actions(user)
        .filter(scan__round=round_)
        .select_related("scan__school", "scan__bestuur", "theme", "owner")
        .order_by("scan__school__vestigingscode", "theme__order", "due_on", "pk")
    )
    today = timezone.localdate()

    def generate() -> Iterator[list[Any]]:
        for action in actions:
            yield safe_row(
                [
                    action.scan.school.vestigingscode,
                    action.scan.school.name,
                    action.scan.bestuur.name,
                    action.theme.code,
                    action.theme.title,
                    action.what,
                    action.owner_label,
                    action.due_on.isoformat() if action.due_on else "",
                    action.get_status_display(),
                    int(is_overdue(action, today)),
                    action.note,
                    timezone.localtime(action.updated_at).strftime("%Y-%m-%d %H:%M"),
                ]
            )

    return dictionary, generate()


def rows_for(
    user: Any, round_: Round, kind: str
) -> tuple[list[tuple[str, str]], Iterator[list[Any]]]:
    if kind == "verbeteracties":
        return action_rows(user, round_)
    return school_rows(user, round_) if kind == "scholen" else statement_rows(user, round_)


def write_csv(
    dictionary: list[tuple[str, str]],
    rows: Iterator[list[Any]],
    progress: Progress | None = None,
    dialect: CsvDialect | None = None,
) -> bytes:
    """The columns of `dictionary` as header, then `rows`, through the one CSV writer
    (`selfscan.core.spreadsheets.write_csv`): by default in the active language's variant."""
    header = [column for column, _text in dictionary]
    return spreadsheets.write_csv(header, rows, dialect=dialect, progress=progress)


def write_xlsx(
    dictionary: list[tuple[str, str]], rows: Iterator[list[Any]], progress: Progress | None = None
) -> bytes:
    """A results sheet (shares as percentages, frozen header, filter, widths) and a data
    dictionary sheet. See docs/exports.md."""
    workbook = Workbook(write_only=True)
    names = [column for column, _text in dictionary]
    shares = {i for i, name in enumerate(names) if name.startswith("aandeel")}
    add_sheet(workbook, _("Resultaten"), names, rows, percent_columns=shares, progress=progress)
    add_sheet(
        workbook,
        _("Gegevenswoordenboek"),
        [_("kolom"), _("betekenis")],
        [[column, str(text)] for column, text in dictionary],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build(
    user: Any, round_: Round, kind: str, file_format: str, progress: Progress | None = None
) -> tuple[str, bytes]:
    """File name and content of an export."""
    dictionary, rows = rows_for(user, round_, kind)
    writer = write_csv if file_format == "csv" else write_xlsx
    content = writer(dictionary, rows, progress)
    stamp = timezone.localdate().isoformat()
    return f"zelfscan-{kind}-ronde{round_.pk}-{stamp}.{file_format}", content


def is_large(user: Any, round_: Round, kind: str) -> bool:
    return kind == "stellingen" and statement_count(user, round_) > ASYNC_ROWS


def _unavailable(job_id: int) -> Callable[[Exception], None]:
    """The `on_failure` of an enqueue: the broker is down, so the job is failed at once."""

    def mark(exc: Exception) -> None:
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
            status=ExportJob.Status.FAILED,
            error=UNAVAILABLE,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )

    return mark


def request_export(*, user: Any, round_: Round, kind: str, file_format: str) -> ExportJob:
    """Create an export job and run it in the background after commit. When the broker cannot
    be reached the job is `mislukt` (error UNAVAILABLE) once this returns."""
    from selfscan.exports.tasks import run_export

    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=user,
            round=round_,
            kind=kind,
            file_format=file_format,
            language=(translation.get_language() or settings.LANGUAGE_CODE)[:7],
        )
        enqueue_on_commit(run_export, job.pk, on_failure=_unavailable(job.pk))
    return job


# A finished school report PDF this young is handed out again instead of made anew (a second
# click after the eager demo finished at once); older ones may miss new reflections or actions.
REUSE_DONE_FOR = timedelta(minutes=2)


def request_school_report(*, user: Any, scan: Any, language: str) -> ExportJob:
    """The job that makes `scan`'s report PDF for `user` in `language`: a waiting, running or
    just-finished identical job of this user, or a new one run in the background after commit.
    The caller checked that `user` may see the scan (`selectors.scoped_scan`). A double click
    makes one job: the requester's row is locked while looking (PostgreSQL; SQLite writes one
    at a time)."""
    from selfscan.accounts.models import User
    from selfscan.exports.tasks import run_export

    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        same = ExportJob.objects.defer("content").filter(
            requested_by=user, kind=SCHOOL_REPORT, scan=scan, language=language
        )
        existing = (
            same.filter(
                Q(status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING])
                | Q(status=ExportJob.Status.DONE, finished_at__gte=timezone.now() - REUSE_DONE_FOR)
            )
            .order_by("-created_at")
            .first()
        )
        if existing is not None:
            return existing
        job = ExportJob.objects.create(
            requested_by=user,
            round_id=scan.round_id,
            kind=SCHOOL_REPORT,
            file_format="pdf",
            scan=scan,
            language=language,
        )
        enqueue_on_commit(run_export, job.pk, on_failure=_unavailable(job.pk))
    return job


def _build_school_report(job: ExportJob, progress: Progress) -> tuple[str, bytes]:
    """The report PDF as its requester sees the scan now, in the language they asked in. Who
    may see the scan is checked again: a requester who lost access gets no file."""
    from django.utils import translation

    from selfscan.results import report, selectors

    assert job.scan is not None
    scan = selectors.scoped_scan(job.requested_by, job.round_id, job.scan.school_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return report.school_report_pdf(job.requested_by, scan, progress)


def retry_export(job: ExportJob) -> bool:
    """Start a failed job again (its page's "opnieuw proberen"). Answers whether it was
    started: the job moves from `mislukt` to `wachtend` once, so a double click starts it once."""
    from selfscan.exports.tasks import run_export

    with transaction.atomic():
        restarted = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.FAILED).update(
            status=ExportJob.Status.PENDING,
            progress=0,
            attempts=0,
            error="",
            finished_at=None,
            updated_at=timezone.now(),
        )
        if restarted:
            enqueue_on_commit(run_export, job.pk, on_failure=_unavailable(job.pk))
    return bool(restarted)


def run_job(job_id: int) -> None:
    """Build the file of a job that is waiting or running (idempotent: a finished, failed or
    deleted job is left alone; a job whose worker died is built again from the start, at most
    MAX_ATTEMPTS times in all: then it is failed as stopped without a result)."""
    unfinished = ExportJob.objects.filter(
        pk=job_id, status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING]
    )
    started = unfinished.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=ExportJob.Status.RUNNING,
        progress=1,
        attempts=F("attempts") + 1,
        updated_at=timezone.now(),
    )
    if not started:
        unfinished.update(
            status=ExportJob.Status.FAILED,
            error=STALLED,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return
    job = ExportJob.objects.select_related("requested_by", "round", "scan").get(pk=job_id)
    total = max(1, statement_count(job.requested_by, job.round)) if job.kind == "stellingen" else 1
    if job.kind == SCHOOL_REPORT:
        total = 100  # the report reports its own progress in percent

    def progress(n: int) -> None:
        ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
            progress=min(99, 100 * n // total), updated_at=timezone.now()
        )

    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            if job.kind == SCHOOL_REPORT:
                name, content = _build_school_report(job, progress)
            else:
                name, content = build(
                    job.requested_by, job.round, job.kind, job.file_format, progress
                )
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            error=exc.__class__.__name__,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        progress=100,
        file_name=name,
        content=content,
        error="",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def kept_until(job: ExportJob) -> datetime | None:
    """When the daily clean-up deletes a finished job's file (None while it is not finished)."""
    if job.status != ExportJob.Status.DONE or job.finished_at is None:
        return None
    return job.finished_at + timedelta(days=settings.EXPORT_RETENTION_DAYS)


# A job that has not finished a day after it was asked for will not finish: its worker died.
STUCK_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Cleanup:
    done: int
    failed: int
    stuck: int

    @property
    def total(self) -> int:
        return self.done + self.failed + self.stuck


def delete_old_jobs(
    *, now: datetime | None = None, keep_days: int | None = None, dry_run: bool = False
) -> Cleanup:
    """Delete finished export jobs (and their files) older than `keep_days` (default the
    EXPORT_RETENTION_DAYS setting), failed jobs and jobs stuck waiting or running, both once
    they are a day old (so the requester still sees a failure on the job page for a while).

    Idempotent; with `dry_run` only counts. Returns the number of jobs per kind."""
    now = now or timezone.now()
    keep = timedelta(days=keep_days if keep_days is not None else settings.EXPORT_RETENTION_DAYS)
    groups = {
        "done": ExportJob.objects.filter(
            Q(finished_at__lt=now - keep) | Q(finished_at__isnull=True, created_at__lt=now - keep),
            status=ExportJob.Status.DONE,
        ),
        "failed": ExportJob.objects.filter(
            Q(finished_at__lt=now - STUCK_AFTER)
            | Q(finished_at__isnull=True, created_at__lt=now - STUCK_AFTER),
            status=ExportJob.Status.FAILED,
        ),
        "stuck": ExportJob.objects.filter(
            status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING],
            created_at__lt=now - STUCK_AFTER,
        ),
    }
    counts: dict[str, int] = {}
    for kind, jobs in groups.items():
        if dry_run:
            counts[kind] = jobs.count()
        else:
            # No cascades or signals on ExportJob: one DELETE, the files are never read.
            counts[kind] = jobs.delete()[0]
    result = Cleanup(**counts)
    if result.total and not dry_run:
        log.info(
            "Deleted old export jobs: %s finished, %s failed, %s stuck",
            result.done,
            result.failed,
            result.stuck,
        )
    return result
