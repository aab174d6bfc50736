"""Reads for the import pages and the statement-level export of a round."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from selfscan.norms.models import NormVersion
from selfscan.scans.models import Answer

from .models import RoundImport


def recent_imports(limit: int = 20) -> QuerySet[RoundImport]:
    """The latest uploads (checked or applied), newest first, without their bytes."""
    return (
        RoundImport.objects.select_related("round", "uploaded_by", "applied_by")
        .defer("content")
        .order_by("-uploaded_at", "-id")[:limit]
    )


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
