"""Reads for the import pages and the statement-level export of a round."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from selfscan.accounts import permissions as perms
from selfscan.norms.models import NormVersion
from selfscan.scans.models import Answer

from .models import RoundImport
from .validation import SchoolPlan


def visible_imports(user: Any) -> QuerySet[RoundImport]:
    """The uploads `user` may see (the rule: `permissions.visible_imports`), without their
    bytes."""
    return perms.visible_imports(user, RoundImport.objects.defer("content"))


def recent_imports(user: Any, limit: int = 20) -> QuerySet[RoundImport]:
    """The latest uploads `user` may see, newest first."""
    return (
        visible_imports(user)
        .select_related("round", "uploaded_by", "applied_by")
        .order_by("-uploaded_at", "-id")[:limit]
    )


def same_file_applied(upload: RoundImport) -> RoundImport | None:
    """Another record that applied the same bytes to the same round (then this one cannot be)."""
    return (
        RoundImport.objects.filter(
            round_id=upload.round_id, sha256=upload.sha256, status=RoundImport.Status.APPLIED
        )
        .exclude(pk=upload.pk)
        .defer("content")
        .first()
    )


@dataclass
class StoredReport:
    """The outcome of a dry run as kept by the job (`jobs.summarise`), for the page."""

    problem_count: int = 0
    problems: list[str] = field(default_factory=list)
    warning_count: int = 0
    warnings: list[str] = field(default_factory=list)
    school_count: int = 0
    schools: list[SchoolPlan] = field(default_factory=list)
    layout: str = ""
    file_format: str = ""
    encoding: str = ""
    to_import: int = 0
    complete: int = 0
    skipped: int = 0
    none_submitted: bool = False
    missing_statements: list[str] = field(default_factory=list)
    answers: int = 0
    at_apply: bool = False

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @property
    def incomplete(self) -> int:
        return self.to_import - self.complete

    @property
    def hidden_problems(self) -> int:
        return self.problem_count - len(self.problems)

    @property
    def hidden_warnings(self) -> int:
        return self.warning_count - len(self.warnings)

    @property
    def hidden_schools(self) -> int:
        return self.school_count - len(self.schools)


def stored_report(upload: RoundImport) -> StoredReport | None:
    """The kept outcome of an upload's last check (None before its dry run has finished)."""
    data = upload.report or {}
    if "problem_count" not in data:
        return None
    names = set(StoredReport.__dataclass_fields__) - {"schools"}
    report = StoredReport(**{key: value for key, value in data.items() if key in names})
    report.schools = [SchoolPlan(**plan) for plan in data.get("schools", [])]
    return report


def statement_answers(round: Any) -> Iterator[tuple[str, str, str, str]]:
    """(vestigingscode, statement code, answer code, comment) for every stored answer of a round,
    ordered by school and statement: the rows of the statement-level export."""
    rows = (
        Answer.objects.filter(scan__round=round)
        .exclude(value="", comment="")
        .order_by("scan__school__vestigingscode", "statement__theme__order", "statement__order")
        .values_list("scan__school__vestigingscode", "statement__code", "value", "comment")
    )
    yield from rows.iterator(chunk_size=5000)


@dataclass(frozen=True)
class ExampleSchool:
    vestigingscode: str
    name: str
    sector: str


EXAMPLE_SCHOOLS = [
    ExampleSchool("00XA00", "Voorbeeldschool De Eik (PO)", "PO"),
    ExampleSchool("00XB00", "Voorbeeldcollege Het Plein (VO)", "VO"),
    ExampleSchool("00XC00", "Voorbeeldvoorziening De Haven (SV)", "SV"),
]


def example_rows(version: NormVersion, layout: str) -> list[list[str]]:
    """A filled-in example for `version`: its real statement codes and scale, fictional schools.

    Answers cycle through the scale's codes and labels, with n.v.t. where the statement allows it
    and a comment on the first statement, so that the example shows every accepted spelling.
    """
    statements = list(version.statements.order_by("theme__order", "order"))
    scale = list(version.scale.order_by("order").values_list("code", "label"))
    spellings = [code for code, _label in scale] + [label for _code, label in scale]
    schools = [s for s in EXAMPLE_SCHOOLS if any(s.sector in st.sectors for st in statements)]

    def answer(school_index: int, index: int, statement: Any, sector: str) -> str:
        if sector not in statement.sectors:
            return ""
        if statement.nvt_allowed and version.has_nvt and (index + school_index) % 5 == 0:
            return "n.v.t."
        return spellings[(index * 3 + school_index) % len(spellings)] if spellings else ""

    first = statements[0].code if statements else ""
    if layout == "long":
        rows = [["vestigingscode", "naam", "stelling", "antwoord", "toelichting"]]
        for s_index, school in enumerate(schools):
            for index, statement in enumerate(statements):
                value = answer(s_index, index, statement, school.sector)
                if value:
                    comment = "Besproken in het team" if statement.code == first else ""
                    rows.append(
                        [school.vestigingscode, school.name, statement.code, value, comment]
                    )
        return rows
    header = ["vestigingscode", "naam", *[s.code for s in statements]]
    if first:
        header.append(f"{first} toelichting")
    rows = [header]
    for s_index, school in enumerate(schools):
        values = [answer(s_index, i, st, school.sector) for i, st in enumerate(statements)]
        row = [school.vestigingscode, school.name, *values]
        if first:
            row.append("Besproken in het team")
        rows.append(row)
    return rows
