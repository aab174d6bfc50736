"""Checking a results file against a round: the dry run of an import. Reads only.

`check_import` reads a file (see `parsing`) and validates every cell against a round: the
schools must be invited and still without answers, the statement codes must belong to the norm
version of each school's sector, the answers must be on that version's scale. It returns an
`ImportReport` with, per school, what would be created, and every problem with its row and
column. `selfscan.imports.services` writes a report only when it has no problem.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from selfscan.norms.models import NVT_CODE, ScaleLevel, Statement
from selfscan.organisations.models import School
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, Scan

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

    def problem(self, kind: str, text: str, location: Location | None = None) -> None:
        self.report.problems.append(Problem(kind, text, location))


def _validate(report: ImportReport, sheet: parsing.ParsedSheet) -> None:
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
    for entry in sheet.entries:
        _check_cell(check, entry)
    report.schools = list(check.plans.values())
    for plan in report.schools:
        if plan.empty and not plan.has_problems:
            report.warnings.append(
                _("rij %(row)s: school %(code)s heeft geen antwoorden en wordt overgeslagen.")
                % {"row": plan.row, "code": plan.vestigingscode}
            )
    if not sheet.school_rows and not report.problems:
        check.problem(FILE, _("Het bestand bevat geen rijen met scholen."))


def _check_columns(check: _Check) -> None:
    """Ignored and repeated columns, empty keys, and (wide) unknown statement columns, which are
    named once at their header rather than in every row."""
    sheet = check.sheet
    for location in sheet.ignored_columns:
        check.report.warnings.append(
            _("%(location)s: deze kolom wordt niet gelezen.") % {"location": location}
        )
    for location in sheet.missing_keys:
        check.problem(MISSING_KEY, _("deze cel is leeg; vul hem in of verwijder de rij."), location)
    for location, first in sheet.duplicate_columns:
        check.problem(
            DUPLICATE_COLUMN,
            _("kolom %(first)s heeft dezelfde kop; elke stelling één kolom.")
            % {"first": parsing.column_letter(first)},
            location,
        )
    if sheet.layout != parsing.WIDE:
        return
    for index, code in sheet.code_columns.items():
        if code not in check.round_codes:
            check.bad_columns.add(index)
            check.problem(
                UNKNOWN_STATEMENT,
                _("onbekende stellingcode '%(code)s' in de normversies van deze ronde.")
                % {"code": code},
                Location(sheet.header_row, index, sheet.headers[index]),
            )


def _check_schools(check: _Check) -> None:
    """Each school once, known, invited, and without answers in this round yet."""
    sheet = check.sheet
    file_schools = {row.school for row in sheet.school_rows}
    known = {
        code.upper(): name
        for code, name in School.objects.filter(
            vestigingscode__in=file_schools - set(check.scans)
        ).values_list("vestigingscode", "name")
    }
    touched = _scans_with_answers(check.report.round)
    for school_row in sheet.school_rows:
        code = school_row.school
        location = Location(school_row.row, school_row.column, sheet.key_header)
        if code in check.plans:
            check.blocked_rows.add(school_row.row)
            check.problem(
                DUPLICATE_SCHOOL,
                _("school %(code)s staat ook al in rij %(row)s; elke school één keer.")
                % {"code": code, "row": check.plans[code].row},
                location,
            )
            continue
        plan = check.plans[code] = SchoolPlan(vestigingscode=code, row=school_row.row)
        scan = check.scans.get(code)
        if scan is None:
            plan.has_problems = True
            check.blocked_schools.add(code)
            if code in known:
                plan.name = known[code]
                check.problem(
                    NOT_INVITED,
                    _("school %(code)s (%(name)s) is niet uitgenodigd voor deze ronde.")
                    % {"code": code, "name": known[code]},
                    location,
                )
            else:
                check.problem(
                    UNKNOWN_SCHOOL,
                    _("onbekende vestigingscode '%(code)s': deze staat niet in het register.")
                    % {"code": code},
                    location,
                )
            continue
        plan.name = scan.school.name
        plan.sector = scan.sector
        plan.scan_id = scan.pk
        plan.applicable = check.versions[scan.norm_version_id].applicable.get(scan.sector, 0)
        if scan.pk in touched:
            plan.has_problems = True
            check.blocked_schools.add(code)
            check.problem(
                HAS_ANSWERS,
                _(
                    "school %(code)s heeft in deze ronde al antwoorden; een import vult "
                    "alleen scans die nog leeg zijn."
                )
                % {"code": code},
                location,
            )


def _check_cell(check: _Check, entry: Entry) -> None:
    """One answer: a known statement that applies to the school's sector, once, on the scale."""
    sheet = check.sheet
    if entry.school in check.blocked_schools or entry.row in check.blocked_rows:
        return
    if sheet.layout == parsing.WIDE and entry.code_column in check.bad_columns:
        return
    scan = check.scans[entry.school]
    plan = check.plans[entry.school]
    version = check.versions[scan.norm_version_id]
    # Locations are built only for problems: this runs once per cell of the whole file.
    answer_header = sheet.headers[entry.answer_column]
    if sheet.layout == parsing.LONG:
        code_at = Location(entry.row, entry.code_column, sheet.headers[entry.code_column])
        key = (entry.school, entry.code)
        if entry.code not in check.round_codes:
            plan.has_problems = True
            check.problem(
                UNKNOWN_STATEMENT,
                _("onbekende stellingcode '%(code)s' in de normversies van deze ronde.")
                % {"code": entry.code},
                code_at,
            )
            return
        if key in check.seen:
            plan.has_problems = True
            check.problem(
                DUPLICATE_ANSWER,
                _(
                    "school %(school)s en stelling %(code)s staan ook al in rij %(row)s; "
                    "elke combinatie één keer."
                )
                % {"school": entry.school, "code": entry.code, "row": check.seen[key]},
                code_at,
            )
            return
        check.seen[key] = entry.row
        answer_header = f"{answer_header} {entry.code}"
    statement = version.statements.get(entry.code)
    if statement is None or scan.sector not in statement.sectors:
        plan.has_problems = True
        check.problem(
            NOT_APPLICABLE,
            _(
                "stelling %(code)s geldt niet voor school %(school)s (sector %(sector)s); "
                "laat deze cel leeg."
            )
            % {"code": entry.code, "school": entry.school, "sector": scan.sector},
            Location(entry.row, entry.answer_column, answer_header),
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
                _(
                    "'%(answer)s' is geen antwoord op de schaal; gebruik %(codes)s of "
                    "n.v.t. (of het label)."
                )
                % {"answer": entry.answer, "codes": ", ".join(version.scale_codes)},
                Location(entry.row, entry.answer_column, answer_header),
            )
            return
        if found == NVT_CODE and not (version.has_nvt and statement.nvt_allowed):
            plan.has_problems = True
            check.problem(
                NVT_NOT_ALLOWED,
                _("n.v.t. is bij stelling %(code)s niet toegestaan.") % {"code": statement.code},
                Location(entry.row, entry.answer_column, answer_header),
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
    if value:
        plan.answered += 1
        plan.nvt += value == NVT_CODE
    if entry.comment or entry.nvt_explanation:
        plan.comments += 1
