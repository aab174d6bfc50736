"""Checking a results file against a round: the dry run of an import. Reads only.

`check_import` reads a file (see `parsing`) and validates every cell against a round: the
schools must be invited and still without answers, the statement codes must belong to the norm
version of each school's sector, the answers must be on that version's scale. It returns an
`ImportReport` with, per school, what would be created, and every problem with its row and
column. `selfscan.imports.services` writes a report only when it has no problem.

Every problem is counted, but only the first MAX_PROBLEMS in file order keep their text (and
MAX_WARNINGS warnings): a file full of errors costs a count, not a message per cell, and the page
lists "en nog 12.345 andere fouten" (docs/decisions/0061-import-jobs.md).
"""

import datetime
import hashlib
import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from selfscan.norms.models import NVT_CODE, ScaleLevel, Statement
from selfscan.organisations.models import School
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, Scan
from selfscan.scans.progress import is_answered

from . import parsing
from .models import RoundImport
from .parsing import Entry, Location

IMPORTABLE_STATUSES = {Round.Status.CLOSED, Round.Status.PUBLISHED}

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
SUBMITTED_DATE = "datum_ingediend"

MAX_PROBLEMS = 200
MAX_WARNINGS = 200
PROGRESS_EVERY = 20_000  # cells between two calls of a progress callback

# Called with a percentage (0-100) of the dry run done.
Progress = Callable[[int], None]


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


class Problems:
    """Counts every problem and keeps the first `limit` in file order (row, then column, then
    the order found) with their text. A text may be given as a function: it is called only for a
    problem that is kept, so that a file full of errors does not pay for a message per cell."""

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.limit = limit
        self.count = 0
        self.kinds: Counter[str] = Counter()
        # A max-heap (negated keys) of the kept problems: the top is the last in file order.
        self._heap: list[tuple[tuple[int, int, int], Problem]] = []

    def add(
        self,
        kind: str,
        text: str | Callable[[], str],
        row: int | None = None,
        column: int | None = None,
        header: str = "",
    ) -> None:
        self.count += 1
        self.kinds[kind] += 1
        key = (-(row or 0), -(column if column is not None else -1), -self.count)
        full = len(self._heap) >= self.limit
        if full and key <= self._heap[0][0]:
            return  # after every kept problem in file order: counted only
        location = Location(row, column, header) if row is not None else None
        problem = Problem(kind, text() if callable(text) else text, location)
        if full:
            heapq.heapreplace(self._heap, (key, problem))
        else:
            heapq.heappush(self._heap, (key, problem))

    def kept(self) -> list[Problem]:
        """The kept problems in file order."""
        return [problem for _key, problem in sorted(self._heap, reverse=True)]

    def __len__(self) -> int:
        return self.count


@dataclass(slots=True)
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
    submitted_on: datetime.date | None = None  # from the file's submission-date column

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
    found: Problems = field(default_factory=Problems, repr=False)
    warnings: list[str] = field(default_factory=list)
    warning_count: int = 0
    schools: list[SchoolPlan] = field(default_factory=list)
    answers: list[NewAnswer] = field(default_factory=list, repr=False)
    applied: bool = False
    record: RoundImport | None = None
    # Statement codes that apply to the schools being imported but that no school answered
    # (a column missing from the file): every such school stays incomplete.
    missing_statements: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        """The first MAX_PROBLEMS problems in file order (`problem_count` counts them all)."""
        return self.found.kept()

    @property
    def problem_count(self) -> int:
        return self.found.count

    @property
    def ok(self) -> bool:
        return not self.found.count

    @property
    def problem_kinds(self) -> set[str]:
        return set(self.found.kinds)

    def add_warning(self, text: str | Callable[[], str]) -> None:
        """Count a warning; keep its text among the first MAX_WARNINGS."""
        self.warning_count += 1
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(text() if callable(text) else text)

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

    @property
    def skipped_count(self) -> int:
        """Schools in the file without any answer (and without problems): not imported."""
        return sum(1 for plan in self.schools if plan.empty and not plan.has_problems)

    @property
    def none_submitted(self) -> bool:
        """Schools would be imported, but not one of them complete: nobody is submitted."""
        return bool(self.schools_to_import) and self.complete_count == 0


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
    *,
    round: Round,
    content: bytes,
    file_name: str,
    layout: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate `content` against `round` without writing anything (the dry run).

    The report lists per school what would be created and the problems, each with the row and
    column where it is (all counted, the first MAX_PROBLEMS kept). The file may be applied only
    when `report.ok`. `progress`, if given, is called now and then with the percentage done.
    """
    report = ImportReport(
        round=round, file_name=file_name, sha256=sha256_of(content), size=len(content)
    )
    if round.status not in IMPORTABLE_STATUSES:
        report.found.add(
            ROUND_STATUS,
            _(
                "Resultaten kunnen alleen worden geïmporteerd in een gesloten of "
                "gepubliceerde ronde; '%(round)s' is %(status)s."
            )
            % {"round": round.name, "status": round.get_status_display().lower()},
        )
        return report
    earlier = RoundImport.objects.filter(
        round=round, sha256=report.sha256, status=RoundImport.Status.APPLIED
    ).first()
    if earlier is not None:
        report.found.add(
            ALREADY_IMPORTED,
            _(
                "Dit bestand is al eerder in deze ronde geïmporteerd (%(file)s, op "
                "%(date)s). Er wordt niets dubbel opgeslagen."
            )
            % {
                "file": earlier.file_name,
                "date": date_format(
                    timezone.localtime(earlier.applied_at or earlier.uploaded_at),
                    "DATETIME_FORMAT",
                ),
            },
        )

    def reading(done: int, total: int) -> None:
        # Reading the file is about half of a dry run, checking its cells the other half.
        if progress is not None and total:
            progress(min(50, 50 * done // total))

    try:
        sheet = parsing.parse(content, layout or None, progress=reading)
    except parsing.ParseError as exc:
        report.found.add(FILE, str(exc))
        return report
    report.layout = sheet.layout
    report.file_format = sheet.file_format
    report.encoding = sheet.encoding
    report.delimiter = sheet.delimiter
    _validate(report, sheet, progress)
    return report


@dataclass
class _Check:
    """What the checks share while walking one file."""

    report: ImportReport
    sheet: parsing.ParsedSheet
    scans: dict[str, Scan]
    versions: dict[int, _Version]
    round_codes: set[str]
    plans: dict[str, SchoolPlan] = field(default_factory=dict)
    blocked_rows: set[int] = field(default_factory=set)  # duplicate rows: cells not checked
    blocked_schools: set[str] = field(default_factory=set)  # unknown, not invited, answered
    bad_columns: set[int] = field(default_factory=set)  # wide: unknown statement columns
    seen: dict[tuple[str, str], int] = field(default_factory=dict)  # long: (school, code) -> row

    def problem(
        self,
        kind: str,
        text: str | Callable[[], str],
        row: int | None = None,
        column: int | None = None,
        header: str = "",
    ) -> None:
        self.report.found.add(kind, text, row, column, header)


def _validate(
    report: ImportReport, sheet: parsing.ParsedSheet, progress: Progress | None = None
) -> None:
    scans = {
        scan.school.vestigingscode.upper(): scan
        for scan in Scan.objects.filter(round=report.round).select_related("school")
    }
    versions = _load_versions({scan.norm_version_id for scan in scans.values()})
    check = _Check(
        report=report,
        sheet=sheet,
        scans=scans,
        versions=versions,
        round_codes={code for version in versions.values() for code in version.statements},
    )
    _check_columns(check)
    _check_schools(check)
    total = len(sheet.entries)
    for index, entry in enumerate(sheet.entries):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(50 + 50 * index // total)
        _check_cell(check, entry)
    _check_submitted(check)
    report.schools = list(check.plans.values())
    for plan in report.schools:
        if plan.empty and not plan.has_problems:
            _skipped_school(report, plan)
    if not sheet.school_rows and report.ok:
        check.problem(FILE, _("Het bestand bevat geen rijen met scholen."))
    _warn_incomplete(check)


def _warn_incomplete(check: _Check) -> None:
    """Say loudly when no school will be submitted, and name the statements nobody answered
    (the usual cause: a column left out of the file, such as the streefniveau statements)."""
    report = check.report
    plans = [plan for plan in report.schools_to_import if not plan.complete]
    if not plans:
        return
    answered = {answer.statement_id for answer in report.answers if answer.value}
    scans = {scan.pk: scan for scan in check.scans.values()}
    missing: set[str] = set()
    for key in {(scans[p.scan_id].norm_version_id, p.sector) for p in plans if p.scan_id}:
        version_id, sector = key
        for code, statement in check.versions[version_id].statements.items():
            if sector in statement.sectors and statement.id not in answered:
                missing.add(code)
    report.missing_statements = sorted(missing)
    notes: list[str] = []
    if report.none_submitted:
        notes.append(
            _(
                "Let op: geen enkele school is volledig, dus geen enkele zelfscan wordt "
                "ingediend en de resultaten van de ronde blijven leeg. Controleer of alle "
                "stellingen in het bestand staan."
            )
        )
    if missing:
        shown = ", ".join(report.missing_statements[:20])
        more = len(missing) - 20
        notes.append(
            _(
                "Geen enkele school heeft een antwoord op %(count)s stelling(en) die voor haar "
                "gelden: %(codes)s%(more)s. Ontbreekt er een kolom in het bestand?"
            )
            % {
                "count": len(missing),
                "codes": shown,
                "more": (_(" en nog %(n)s") % {"n": more}) if more > 0 else "",
            }
        )
    # First in the list: these explain the counts above everything else.
    report.warnings[:0] = notes
    report.warning_count += len(notes)
    del report.warnings[MAX_WARNINGS:]


_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_submission_date(text: str) -> datetime.date | None:
    """JJJJ-MM-DD (a time after it is ignored) or DD-MM-JJJJ (also with / or .); None when the
    text is not a date."""
    text = text.strip()
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return None
    return None


def _check_submitted(check: _Check) -> None:
    """The optional submission-date column: a real date, not in the future, one per school."""
    today = timezone.localdate()
    for school, where, text in check.sheet.submitted_cells:
        plan = check.plans.get(school)
        if plan is None or school in check.blocked_schools or where.row in check.blocked_rows:
            continue
        location = (where.row, where.column, where.header)
        day = parse_submission_date(text)
        if day is None:
            plan.has_problems = True
            check.problem(
                SUBMITTED_DATE,
                _("'%(text)s' is geen datum; schrijf JJJJ-MM-DD of DD-MM-JJJJ.") % {"text": text},
                *location,
            )
        elif day > today:
            plan.has_problems = True
            check.problem(
                SUBMITTED_DATE,
                _("de datum van indienen %(date)s ligt in de toekomst.")
                % {"date": date_format(day, "DATE_FORMAT")},
                *location,
            )
        elif plan.submitted_on is not None and plan.submitted_on != day:
            plan.has_problems = True
            check.problem(
                SUBMITTED_DATE,
                _("school %(code)s heeft al datum van indienen %(date)s; één datum per school.")
                % {"code": school, "date": date_format(plan.submitted_on, "DATE_FORMAT")},
                *location,
            )
        else:
            plan.submitted_on = day


def _skipped_school(report: ImportReport, plan: SchoolPlan) -> None:
    report.add_warning(
        lambda: (
            _("rij %(row)s: school %(code)s heeft geen antwoorden en wordt overgeslagen.")
            % {"row": plan.row, "code": plan.vestigingscode}
        )
    )


def _check_columns(check: _Check) -> None:
    """Ignored and repeated columns, empty keys, and (wide) unknown statement columns, which are
    named once at their header rather than in every row."""
    sheet = check.sheet
    for location in sheet.ignored_columns:
        check.report.add_warning(
            _("%(location)s: deze kolom wordt niet gelezen.") % {"location": location}
        )
    empty_key = _("deze cel is leeg; vul hem in of verwijder de rij.")
    for location in sheet.missing_keys:
        check.problem(MISSING_KEY, empty_key, location.row, location.column, location.header)
    for location, first in sheet.duplicate_columns:
        check.problem(
            DUPLICATE_COLUMN,
            _("kolom %(first)s heeft dezelfde kop; elke stelling één kolom.")
            % {"first": parsing.column_letter(first)},
            location.row,
            location.column,
            location.header,
        )
    if sheet.layout != parsing.WIDE:
        return
    for index, code in sheet.code_columns.items():
        if code not in check.round_codes:
            check.bad_columns.add(index)
            _unknown_statement(check, code, sheet.header_row, index, sheet.headers[index])


def _unknown_statement(check: _Check, code: str, row: int, column: int, header: str) -> None:
    check.problem(
        UNKNOWN_STATEMENT,
        lambda: (
            _("onbekende stellingcode '%(code)s' in de normversies van deze ronde.")
            % {"code": code}
        ),
        row,
        column,
        header,
    )


def _registered_names(codes: set[str]) -> dict[str, str]:
    """Name by vestigingscode of the registered schools among `codes`. A long list of codes
    (a file of unknown schools) reads the register instead of one parameter per code."""
    schools = School.objects.all()
    if len(codes) <= 500:
        schools = schools.filter(vestigingscode__in=codes)
    return {
        code.upper(): name
        for code, name in schools.values_list("vestigingscode", "name")
        if code in codes
    }


def _check_schools(check: _Check) -> None:
    """Each school once, known, invited, and without answers in this round yet."""
    file_schools = {row.school for row in check.sheet.school_rows}
    known = _registered_names(file_schools - set(check.scans))
    touched = _scans_with_answers(check.report.round)
    for school_row in check.sheet.school_rows:
        _check_school(check, school_row, known, touched)


def _check_school(
    check: _Check, school_row: parsing.SchoolRow, known: dict[str, str], touched: set[int]
) -> None:
    code = school_row.school
    where = (school_row.row, school_row.column, check.sheet.key_header)
    if code in check.plans:
        check.blocked_rows.add(school_row.row)
        first_row = check.plans[code].row
        check.problem(
            DUPLICATE_SCHOOL,
            lambda: (
                _("school %(code)s staat ook al in rij %(row)s; elke school één keer.")
                % {"code": code, "row": first_row}
            ),
            *where,
        )
        return
    plan = check.plans[code] = SchoolPlan(vestigingscode=code, row=school_row.row)
    scan = check.scans.get(code)
    if scan is None:
        plan.has_problems = True
        check.blocked_schools.add(code)
        if code in known:
            plan.name = name = known[code]
            check.problem(
                NOT_INVITED,
                lambda: (
                    _("school %(code)s (%(name)s) is niet uitgenodigd voor deze ronde.")
                    % {"code": code, "name": name}
                ),
                *where,
            )
        else:
            check.problem(
                UNKNOWN_SCHOOL,
                lambda: (
                    _("onbekende vestigingscode '%(code)s': deze staat niet in het register.")
                    % {"code": code}
                ),
                *where,
            )
        return
    plan.name = scan.school.name
    plan.sector = scan.sector
    plan.scan_id = scan.pk
    plan.applicable = check.versions[scan.norm_version_id].applicable.get(scan.sector, 0)
    if scan.pk in touched:
        plan.has_problems = True
        check.blocked_schools.add(code)
        check.problem(
            HAS_ANSWERS,
            lambda: (
                _(
                    "school %(code)s heeft in deze ronde al antwoorden; een import vult "
                    "alleen scans die nog leeg zijn."
                )
                % {"code": code}
            ),
            *where,
        )


def _check_cell(check: _Check, entry: Entry) -> None:
    """One answer: a known statement that applies to the school's sector, once, on the scale.

    This runs once per cell of the whole file: texts and headers of problems are made only for
    the problems that are kept (see `Problems`)."""
    sheet = check.sheet
    if entry.school in check.blocked_schools or entry.row in check.blocked_rows:
        return
    if sheet.layout == parsing.WIDE and entry.code_column in check.bad_columns:
        return
    scan = check.scans[entry.school]
    plan = check.plans[entry.school]
    version = check.versions[scan.norm_version_id]
    long = sheet.layout == parsing.LONG
    if long:
        code_header = sheet.headers[entry.code_column]
        key = (entry.school, entry.code)
        if entry.code not in check.round_codes:
            plan.has_problems = True
            _unknown_statement(check, entry.code, entry.row, entry.code_column, code_header)
            return
        if key in check.seen:
            plan.has_problems = True
            first_row = check.seen[key]
            check.problem(
                DUPLICATE_ANSWER,
                lambda: (
                    _(
                        "school %(school)s en stelling %(code)s staan ook al in rij %(row)s; "
                        "elke combinatie één keer."
                    )
                    % {"school": entry.school, "code": entry.code, "row": first_row}
                ),
                entry.row,
                entry.code_column,
                code_header,
            )
            return
        check.seen[key] = entry.row
    answer_header = sheet.headers[entry.answer_column]
    if long:
        answer_header = f"{answer_header} {entry.code}"
    statement = version.statements.get(entry.code)
    if statement is None or scan.sector not in statement.sectors:
        plan.has_problems = True
        check.problem(
            NOT_APPLICABLE,
            lambda: (
                _(
                    "stelling %(code)s geldt niet voor school %(school)s (sector %(sector)s); "
                    "laat deze cel leeg."
                )
                % {"code": entry.code, "school": entry.school, "sector": scan.sector}
            ),
            entry.row,
            entry.answer_column,
            answer_header,
        )
        return
    value = ""
    if entry.answer:
        found = version.answers.get(entry.answer) or version.answers.get(
            parsing.answer_key(entry.answer)
        )
        if found is None:
            plan.has_problems = True
            check.problem(
                NOT_IN_SCALE,
                lambda: (
                    _(
                        "'%(answer)s' is geen antwoord op de schaal; gebruik %(codes)s of "
                        "n.v.t. (of het label)."
                    )
                    % {"answer": entry.answer, "codes": ", ".join(version.scale_codes)}
                ),
                entry.row,
                entry.answer_column,
                answer_header,
            )
            return
        if found == NVT_CODE and not (version.has_nvt and statement.nvt_allowed):
            plan.has_problems = True
            check.problem(
                NVT_NOT_ALLOWED,
                lambda: (
                    _("n.v.t. is bij stelling %(code)s niet toegestaan.") % {"code": statement.code}
                ),
                entry.row,
                entry.answer_column,
                answer_header,
            )
            return
        value = found
    if not (value or entry.comment or entry.nvt_explanation):
        return  # long layout: a row without an answer is an unanswered statement
    check.report.answers.append(
        NewAnswer(
            scan_id=scan.pk,
            statement_id=statement.id,
            value=value,
            comment=entry.comment[:2000],
            nvt_explanation=entry.nvt_explanation[:2000],
        )
    )
    if is_answered(value, entry.nvt_explanation, final=True):
        plan.answered += 1
        plan.nvt += value == NVT_CODE
    if entry.comment or entry.nvt_explanation:
        plan.comments += 1
