"""Importing the results of an earlier round from a spreadsheet: check (dry run), then apply.

`check_import` reads a file (see `parsing`) and validates every cell against a round: the
schools must be invited and still without answers, the statement codes must belong to the norm
version of each school's sector, the answers must be on that version's scale. It returns an
`ImportReport` with, per school, what would be created, and every problem with its row and
column. `apply_import` checks again inside one transaction and writes only when there is no
problem at all: the whole file or nothing.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from selfscan.audit.services import record
from selfscan.norms.models import NVT_CODE, ScaleLevel, Statement
from selfscan.organisations.models import School
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, Scan, ScanEvent

from . import parsing
from .models import RoundImport
from .parsing import Location

IMPORTABLE_STATUSES = {Round.Status.CLOSED, Round.Status.PUBLISHED}
PENDING_KEPT_FOR_DAYS = 2

# Problem kinds, for tests and for grouping in the dry run.
FILE = "bestand"
ROUND_STATUS = "ronde"
ALREADY_IMPORTED = "al_geimporteerd"
MISSING_KEY = "ontbrekende_sleutel"
UNKNOWN_SCHOOL = "onbekende_school"
NOT_INVITED = "niet_uitgenodigd"
DUPLICATE_SCHOOL = "dubbele_school"
DUPLICATE_ANSWER = "dubbel_antwoord"
DUPLICATE_COLUMN = "dubbele_kolom"
HAS_ANSWERS = "heeft_antwoorden"
UNKNOWN_STATEMENT = "onbekende_stelling"
NOT_APPLICABLE = "niet_van_toepassing"
NOT_IN_SCALE = "niet_op_schaal"
NVT_NOT_ALLOWED = "nvt_niet_toegestaan"


class ImportRefused(Exception):
    """Raised by `apply_import` when the file has problems; nothing was written."""

    def __init__(self, report: "ImportReport") -> None:
        super().__init__(_("De import is geweigerd: het bestand bevat fouten."))
        self.report = report


@dataclass(frozen=True)
class Problem:
    kind: str
    text: str
    location: Location | None = None

    @property
    def message(self) -> str:
        return f"{self.location}: {self.text}" if self.location else self.text

    def __str__(self) -> str:
        return self.message


@dataclass
class SchoolPlan:
    """What the import creates for one school."""

    vestigingscode: str
    row: int
    name: str = ""
    sector: str = ""
    scan_id: int | None = None
    applicable: int = 0
    answered: int = 0
    nvt: int = 0
    comments: int = 0
    has_problems: bool = False

    @property
    def complete(self) -> bool:
        return self.applicable > 0 and self.answered >= self.applicable

    @property
    def empty(self) -> bool:
        return self.answered == 0 and self.comments == 0


@dataclass(frozen=True, slots=True)
class NewAnswer:
    scan_id: int
    statement_id: int
    value: str
    comment: str
    nvt_explanation: str


@dataclass
class ImportReport:
    round: Round
    file_name: str
    sha256: str
    size: int
    layout: str = ""
    file_format: str = ""
    encoding: str = ""
    delimiter: str = ""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schools: list[SchoolPlan] = field(default_factory=list)
    answers: list[NewAnswer] = field(default_factory=list, repr=False)
    applied: bool = False
    record: RoundImport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_kinds(self) -> set[str]:
        return {problem.kind for problem in self.problems}

    @property
    def schools_to_import(self) -> list[SchoolPlan]:
        return [plan for plan in self.schools if not plan.empty and not plan.has_problems]

    @property
    def complete_count(self) -> int:
        return sum(1 for plan in self.schools_to_import if plan.complete)

    @property
    def incomplete_count(self) -> int:
        return sum(1 for plan in self.schools_to_import if not plan.complete)

    @property
    def answer_count(self) -> int:
        return sum(1 for answer in self.answers if answer.value)


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def importable_rounds() -> Any:
    """Rounds that accept imported results: closed or published ones."""
    return Round.objects.filter(status__in=IMPORTABLE_STATUSES).order_by("-opens_on", "-id")


# --- the norm versions of a round, read once ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Statement:
    id: int
    code: str
    sectors: tuple[str, ...]
    nvt_allowed: bool


@dataclass
class _Version:
    statements: dict[str, _Statement]
    answers: dict[str, str]  # accepted spelling -> stored value
    has_nvt: bool
    scale_codes: list[str]
    applicable: dict[str, int] = field(default_factory=dict)  # sector -> number of statements


def _load_versions(version_ids: set[int]) -> dict[int, _Version]:
    from selfscan.norms.models import NormVersion

    versions: dict[int, _Version] = {}
    scales: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for version_id, code, label in ScaleLevel.objects.filter(
        version_id__in=version_ids
    ).values_list("version_id", "code", "label"):
        scales[version_id].append((code, label))
    statements: dict[int, dict[str, _Statement]] = defaultdict(dict)
    for pk, version_id, code, sectors, nvt_allowed in Statement.objects.filter(
        version_id__in=version_ids
    ).values_list("pk", "version_id", "code", "sectors", "nvt_allowed"):
        statements[version_id][code.upper()] = _Statement(
            pk, code, tuple(sectors or ()), nvt_allowed
        )
    for version in NormVersion.objects.filter(pk__in=version_ids):
        lookup = parsing.answer_lookup(scales[version.pk], NVT_CODE, version.nvt_label)
        versions[version.pk] = _Version(
            statements=statements[version.pk],
            answers=lookup,
            has_nvt=version.has_nvt,
            scale_codes=[code for code, _label in scales[version.pk]],
        )
    for data in versions.values():
        for sector in ("PO", "VO", "SV"):
            data.applicable[sector] = sum(
                1 for s in data.statements.values() if sector in s.sectors
            )
    return versions


def _scans_with_answers(round: Round) -> set[int]:
    """Scans of `round` that already hold anything: such a school cannot be imported again."""
    touched = set(
        Scan.objects.filter(round=round)
        .exclude(status=Scan.Status.NOT_STARTED, imported_at__isnull=True)
        .values_list("pk", flat=True)
    )
    touched |= set(
        Answer.objects.filter(scan__round=round)
        .exclude(value="", comment="", nvt_explanation="")
        .values_list("scan_id", flat=True)
        .distinct()
    )
    return touched


# --- checking -------------------------------------------------------------------------------


def check_import(
    *, round: Round, content: bytes, file_name: str, layout: str | None = None
) -> ImportReport:
    """Validate `content` against `round` without writing anything (the dry run).

    The report lists per school what would be created and every problem, each with the row and
    column where it is. The file may be applied only when `report.ok`.
    """
    report = ImportReport(
        round=round, file_name=file_name, sha256=sha256_of(content), size=len(content)
    )
    if round.status not in IMPORTABLE_STATUSES:
        report.problems.append(
            Problem(
                ROUND_STATUS,
                _(
                    "Resultaten kunnen alleen worden geïmporteerd in een gesloten of "
                    "gepubliceerde ronde; '%(round)s' is %(status)s."
                )
                % {"round": round.name, "status": round.get_status_display().lower()},
            )
        )
        return report
    earlier = RoundImport.objects.filter(
        round=round, sha256=report.sha256, status=RoundImport.Status.APPLIED
    ).first()
    if earlier is not None:
        report.problems.append(
            Problem(
                ALREADY_IMPORTED,
                _(
                    "Dit bestand is al eerder in deze ronde geïmporteerd (%(file)s, op "
                    "%(date)s). Er wordt niets dubbel opgeslagen."
                )
                % {
                    "file": earlier.file_name,
                    "date": timezone.localtime(earlier.applied_at or earlier.uploaded_at).strftime(
                        "%d-%m-%Y %H:%M"
                    ),
                },
            )
        )
    try:
        sheet = parsing.parse(content, layout or None)
    except parsing.ParseError as exc:
        report.problems.append(Problem(FILE, str(exc)))
        return report
    report.layout = sheet.layout
    report.file_format = sheet.file_format
    report.encoding = sheet.encoding
    report.delimiter = sheet.delimiter
    _validate(report, sheet)
    report.problems.sort(
        key=lambda p: (
            p.location.row if p.location else 0,
            p.location.column if p.location and p.location.column is not None else -1,
        )
    )
    return report


def _validate(report: ImportReport, sheet: parsing.ParsedSheet) -> None:
    round = report.round
    problems = report.problems
    scans = {
        scan.school.vestigingscode.upper(): scan
        for scan in Scan.objects.filter(round=round).select_related("school")
    }
    versions = _load_versions({scan.norm_version_id for scan in scans.values()})
    round_codes = {code for version in versions.values() for code in version.statements}
    file_schools = {row.school for row in sheet.school_rows}
    known = {
        code.upper(): name
        for code, name in School.objects.filter(
            vestigingscode__in=file_schools - set(scans)
        ).values_list("vestigingscode", "name")
    }
    touched = _scans_with_answers(round)

    for location in sheet.ignored_columns:
        report.warnings.append(
            _("%(location)s: deze kolom wordt niet gelezen.") % {"location": location}
        )
    for location in sheet.missing_keys:
        problems.append(
            Problem(MISSING_KEY, _("deze cel is leeg; vul hem in of verwijder de rij."), location)
        )

    for location, first in sheet.duplicate_columns:
        problems.append(
            Problem(
                DUPLICATE_COLUMN,
                _("kolom %(first)s heeft dezelfde kop; elke stelling één kolom.")
                % {"first": parsing.column_letter(first)},
                location,
            )
        )

    # Statement columns of the wide layout are checked once, at their header.
    bad_columns: set[int] = set()
    if sheet.layout == parsing.WIDE:
        for index, code in sheet.code_columns.items():
            if code not in round_codes:
                bad_columns.add(index)
                problems.append(
                    Problem(
                        UNKNOWN_STATEMENT,
                        _("onbekende stellingcode '%(code)s' in de normversies van deze ronde.")
                        % {"code": code},
                        Location(sheet.header_row, index, sheet.headers[index]),
                    )
                )

    # Schools.
    plans: dict[str, SchoolPlan] = {}
    blocked_rows: set[int] = set()  # wide layout: rows whose cells are not checked further
    blocked_schools: set[str] = set()
    first_row: dict[str, int] = {}
    for school_row in sheet.school_rows:
        code = school_row.school
        location = Location(school_row.row, school_row.column, sheet.key_header)
        if code in first_row:
            blocked_rows.add(school_row.row)
            problems.append(
                Problem(
                    DUPLICATE_SCHOOL,
                    _("school %(code)s staat ook al in rij %(row)s; elke school één keer.")
                    % {"code": code, "row": first_row[code]},
                    location,
                )
            )
            continue
        first_row[code] = school_row.row
        scan = scans.get(code)
        plan = SchoolPlan(vestigingscode=code, row=school_row.row)
        plans[code] = plan
        if scan is None:
            plan.has_problems = True
            blocked_schools.add(code)
            if code in known:
                plan.name = known[code]
                problems.append(
                    Problem(
                        NOT_INVITED,
                        _("school %(code)s (%(name)s) is niet uitgenodigd voor deze ronde.")
                        % {"code": code, "name": known[code]},
                        location,
                    )
                )
            else:
                problems.append(
                    Problem(
                        UNKNOWN_SCHOOL,
                        _("onbekende vestigingscode '%(code)s': deze staat niet in het register.")
                        % {"code": code},
                        location,
                    )
                )
            continue
        plan.name = scan.school.name
        plan.sector = scan.sector
        plan.scan_id = scan.pk
        plan.applicable = versions[scan.norm_version_id].applicable.get(scan.sector, 0)
        if scan.pk in touched:
            plan.has_problems = True
            blocked_schools.add(code)
            problems.append(
                Problem(
                    HAS_ANSWERS,
                    _(
                        "school %(code)s heeft in deze ronde al antwoorden; een import vult "
                        "alleen scans die nog leeg zijn."
                    )
                    % {"code": code},
                    location,
                )
            )

    # Cells.
    seen: dict[tuple[str, str], int] = {}
    for entry in sheet.entries:
        if entry.school in blocked_schools or entry.row in blocked_rows:
            continue
        if sheet.layout == parsing.WIDE and entry.code_column in bad_columns:
            continue
        scan = scans[entry.school]
        plan = plans[entry.school]
        version = versions[scan.norm_version_id]
        header = (
            sheet.headers[entry.answer_column] if entry.answer_column < len(sheet.headers) else ""
        )
        answer_at = Location(entry.row, entry.answer_column, header)
        if sheet.layout == parsing.LONG:
            code_at = Location(entry.row, entry.code_column, sheet.headers[entry.code_column])
            if entry.code not in round_codes:
                problems.append(
                    Problem(
                        UNKNOWN_STATEMENT,
                        _("onbekende stellingcode '%(code)s' in de normversies van deze ronde.")
                        % {"code": entry.code},
                        code_at,
                    )
                )
                plan.has_problems = True
                continue
            key = (entry.school, entry.code)
            if key in seen:
                problems.append(
                    Problem(
                        DUPLICATE_ANSWER,
                        _(
                            "school %(school)s en stelling %(code)s staan ook al in rij %(row)s; "
                            "elke combinatie één keer."
                        )
                        % {"school": entry.school, "code": entry.code, "row": seen[key]},
                        code_at,
                    )
                )
                plan.has_problems = True
                continue
            seen[key] = entry.row
            answer_at = Location(
                entry.row, entry.answer_column, f"{sheet.headers[entry.answer_column]} {entry.code}"
            )
        statement = version.statements.get(entry.code)
        if statement is None or scan.sector not in statement.sectors:
            problems.append(
                Problem(
                    NOT_APPLICABLE,
                    _(
                        "stelling %(code)s geldt niet voor school %(school)s (sector %(sector)s); "
                        "laat deze cel leeg."
                    )
                    % {"code": entry.code, "school": entry.school, "sector": scan.sector},
                    answer_at,
                )
            )
            plan.has_problems = True
            continue
        value = ""
        if entry.answer:
            found = version.answers.get(parsing.answer_key(entry.answer))
            if found is None:
                problems.append(
                    Problem(
                        NOT_IN_SCALE,
                        _(
                            "'%(answer)s' is geen antwoord op de schaal; gebruik %(codes)s of "
                            "n.v.t. (of het label)."
                        )
                        % {"answer": entry.answer, "codes": ", ".join(version.scale_codes)},
                        answer_at,
                    )
                )
                plan.has_problems = True
                continue
            if found == NVT_CODE and not (version.has_nvt and statement.nvt_allowed):
                problems.append(
                    Problem(
                        NVT_NOT_ALLOWED,
                        _("n.v.t. is bij stelling %(code)s niet toegestaan.")
                        % {"code": statement.code},
                        answer_at,
                    )
                )
                plan.has_problems = True
                continue
            value = found
        if not (value or entry.comment or entry.nvt_explanation):
            continue  # long layout: a row without an answer is an unanswered statement
        report.answers.append(
            NewAnswer(
                scan_id=scan.pk,
                statement_id=statement.id,
                value=value,
                comment=entry.comment[:2000],
                nvt_explanation=entry.nvt_explanation[:2000],
            )
        )
        if value:
            plan.answered += 1
            if value == NVT_CODE:
                plan.nvt += 1
        if entry.comment or entry.nvt_explanation:
            plan.comments += 1

    report.schools = list(plans.values())
    for plan in report.schools:
        if plan.empty and not plan.has_problems:
            report.warnings.append(
                _("rij %(row)s: school %(code)s heeft geen antwoorden en wordt overgeslagen.")
                % {"row": plan.row, "code": plan.vestigingscode}
            )
    if not sheet.school_rows and not problems:
        problems.append(Problem(FILE, _("Het bestand bevat geen rijen met scholen.")))


# --- applying -------------------------------------------------------------------------------


def apply_import(
    *, round: Round, content: bytes, file_name: str, by: Any, layout: str | None = None
) -> ImportReport:
    """Check the file again and, only when it has no problem, store it in one transaction.

    Complete scans become submitted and imported; incomplete ones stay `bezig` (not
    submitted). Every imported scan gets a ScanEvent `geimporteerd`; the round gets an audit
    entry. Raises ImportRefused (nothing written) when the file has any problem.
    """
    with transaction.atomic():
        # One import per round at a time: the second waits and then sees the first's answers.
        locked = Round.objects.select_for_update().get(pk=round.pk)
        report = check_import(round=locked, content=content, file_name=file_name, layout=layout)
        if not report.ok:
            raise ImportRefused(report)
        _write(report, content=content, by=by, layout=layout or "")
    report.applied = True
    return report


def _write(report: ImportReport, *, content: bytes, by: Any, layout: str) -> None:
    now = timezone.now()
    user = by if getattr(by, "pk", None) else None
    imported_from = f"{report.file_name[:180]} sha256:{report.sha256}"
    plans = report.schools_to_import
    scan_ids = {plan.scan_id for plan in plans}
    _store_answers([a for a in report.answers if a.scan_id in scan_ids], user=user, now=now)
    complete = [plan.scan_id for plan in plans if plan.complete]
    incomplete = [plan.scan_id for plan in plans if not plan.complete]
    common = {
        "imported_at": now,
        "imported_by": user,
        "imported_from": imported_from,
        "started_at": now,
        "last_activity_at": now,
    }
    for chunk in _chunks(complete):
        Scan.objects.filter(pk__in=chunk).update(
            status=Scan.Status.SUBMITTED, submitted_at=now, **common
        )
    for chunk in _chunks(incomplete):
        Scan.objects.filter(pk__in=chunk).update(
            status=Scan.Status.IN_PROGRESS, submitted_at=None, **common
        )
    reason = _("Geïmporteerd uit %(file)s") % {"file": report.file_name}
    ScanEvent.objects.bulk_create(
        [
            ScanEvent(scan_id=scan_id, kind=ScanEvent.Kind.IMPORTED, reason=reason, by=user)
            for scan_id in sorted(s for s in scan_ids if s is not None)
        ],
        batch_size=2000,
    )
    pending = (
        RoundImport.objects.select_for_update()
        .filter(round=report.round, sha256=report.sha256, status=RoundImport.Status.CHECKED)
        .first()
    )
    import_record = pending or RoundImport(
        round=report.round,
        file_name=report.file_name[:255],
        sha256=report.sha256,
        size=report.size,
        layout=layout,
        content=content,
        uploaded_by=user,
    )
    import_record.status = RoundImport.Status.APPLIED
    import_record.applied_at = now
    import_record.applied_by = user
    import_record.schools_count = len(plans)
    import_record.complete_count = len(complete)
    import_record.answers_count = report.answer_count
    import_record.save()
    report.record = import_record
    record(
        actor=by,
        action="import_round",
        obj=report.round,
        changes={
            "bestand": report.file_name,
            "sha256": report.sha256,
            "indeling": report.layout,
            "scholen": len(plans),
            "volledig_ingediend": len(complete),
            "onvolledig": len(incomplete),
            "antwoorden": report.answer_count,
        },
    )


def _store_answers(answers: list[NewAnswer], *, user: Any, now: Any) -> None:
    """Insert the answers; a scan opened but never filled in may hold empty answer rows, which
    are filled in rather than duplicated (unique scan × statement)."""
    if connection.vendor == "postgresql":
        _copy_answers(answers, user=user, now=now)
        return
    Answer.objects.bulk_create(
        [
            Answer(
                scan_id=answer.scan_id,
                statement_id=answer.statement_id,
                value=answer.value,
                comment=answer.comment,
                nvt_explanation=answer.nvt_explanation,
                updated_by=user,
            )
            for answer in answers
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["scan", "statement"],
        update_fields=["value", "comment", "nvt_explanation", "updated_by", "updated_at"],
    )


def _copy_answers(answers: list[NewAnswer], *, user: Any, now: Any) -> None:
    """PostgreSQL: COPY into a temporary table, then one INSERT … ON CONFLICT. bulk_create spends
    ~0.1 ms per row building model instances and SQL; COPY is an order of magnitude faster for
    the hundreds of thousands of answers of a whole city (docs/decisions/0060-*.md)."""
    table = connection.ops.quote_name(Answer._meta.db_table)
    user_id = user.pk if user is not None else None
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE import_answer ("
            " scan_id bigint, statement_id bigint, value varchar(10), comment text,"
            " nvt_explanation text) ON COMMIT DROP"
        )
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(
            "COPY import_answer (scan_id, statement_id, value, comment, nvt_explanation) FROM STDIN"
        ) as copy:
            for answer in answers:
                copy.write_row(
                    (
                        answer.scan_id,
                        answer.statement_id,
                        answer.value,
                        answer.comment,
                        answer.nvt_explanation,
                    )
                )
        cursor.execute(
            f"INSERT INTO {table} (scan_id, statement_id, value, comment, nvt_explanation,"  # noqa: S608
            " version, updated_at, updated_by_id)"
            " SELECT scan_id, statement_id, value, comment, nvt_explanation, 0, %s, %s"
            " FROM import_answer"
            " ON CONFLICT (scan_id, statement_id) DO UPDATE SET value = EXCLUDED.value,"
            " comment = EXCLUDED.comment, nvt_explanation = EXCLUDED.nvt_explanation,"
            " updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id",
            [now, user_id],
        )
        cursor.execute("DROP TABLE import_answer")


def _chunks(ids: list[Any], size: int = 900) -> list[list[Any]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


# --- the staff page's two steps ---------------------------------------------------------------


def check_upload(
    *, round: Round, content: bytes, file_name: str, by: Any, layout: str = ""
) -> ImportReport:
    """Dry run for the staff page. A clean file is kept as a checked RoundImport (the record
    the confirmation applies); a file with problems is not kept."""
    report = check_import(round=round, content=content, file_name=file_name, layout=layout)
    if report.ok:
        cutoff = timezone.now() - timedelta(days=PENDING_KEPT_FOR_DAYS)
        RoundImport.objects.filter(
            status=RoundImport.Status.CHECKED, uploaded_at__lt=cutoff
        ).delete()
        report.record = RoundImport.objects.create(
            round=round,
            file_name=file_name[:255],
            sha256=report.sha256,
            size=len(content),
            layout=layout,
            content=content,
            uploaded_by=by if getattr(by, "pk", None) else None,
            schools_count=len(report.schools_to_import),
            complete_count=report.complete_count,
            answers_count=report.answer_count,
        )
    return report


def recheck(import_record: RoundImport) -> ImportReport:
    """The dry run of a kept file, against the database as it is now."""
    report = check_import(
        round=import_record.round,
        content=bytes(import_record.content),
        file_name=import_record.file_name,
        layout=import_record.layout or None,
    )
    report.record = import_record
    return report


def apply_checked(import_record: RoundImport, *, by: Any) -> ImportReport:
    """Apply a kept file after re-validating it; raises ImportRefused when it no longer passes."""
    if import_record.is_applied:
        report = recheck(import_record)
        raise ImportRefused(report)
    return apply_import(
        round=import_record.round,
        content=bytes(import_record.content),
        file_name=import_record.file_name,
        by=by,
        layout=import_record.layout or None,
    )
