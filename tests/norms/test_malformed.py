"""Malformed norm files: each is refused with its own Dutch message at the right line, and the
database is left exactly as it was."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from selfscan.audit.models import AuditEvent
from selfscan.norms.models import (
    DroppedStatement,
    Norm,
    NormVersion,
    ScaleLevel,
    Statement,
    Theme,
)
from selfscan.norms.services import load_norm_files
from tests.norms.samples import V1, V2, line_of, source

pytestmark = pytest.mark.django_db

LONG_TEXT = "Een heel lange stelling " * 25  # 600 characters


@dataclass
class Case:
    id: str
    base: str  # "v1" or "v2" (v2 needs version 1 loaded)
    old: str
    new: str
    message: str
    line_needle: str | None = None  # the line the error must point at (in the changed text)
    line: int | None = None  # or a fixed line number
    occurrence: int = 1
    encoding: str = "utf-8"

    def text(self) -> str:
        base = V1 if self.base == "v1" else V2
        assert self.old in base, self.id
        return base.replace(self.old, self.new, 1)

    def expected_line(self, text: str) -> int:
        if self.line is not None:
            return self.line
        assert self.line_needle is not None
        return line_of(text, self.line_needle, self.occurrence)


CASES = [
    Case(
        "yaml-syntax-error",
        "v1",
        "    titel: Beleid\n",
        "    titel: [Beleid\n",
        "YAML-syntaxfout: expected ',' or ']'",
        # The unclosed '[' is on line 18; the parser notices it on the next line.
        line=19,
    ),
    Case(
        "unknown-top-level-key",
        "v1",
        "schaal:\n",
        "opmerkingen: iets\nschaal:\n",
        "onbekende sleutel",
        line_needle="opmerkingen:",
    ),
    Case(
        "missing-scale",
        "v1",
        'schaal:\n  niveaus:\n    - {code: "1", label: Onvoldoende}\n'
        '    - {code: "2", label: Matig}\n'
        '    - {code: "3", label: Voldoende}\n    - {code: "4", label: Goed}\n'
        '  voldoende: ["3", "4"]\n  nvt: {label: Niet van toepassing}\n',
        "",
        "[schaal]: verplicht veld ontbreekt",
        line=1,
    ),
    Case(
        "duplicate-statement-code",
        "v1",
        "      - code: B.1\n",
        "      - code: A.1\n",
        "stellingcode 'A.1' komt dubbel voor in deze versie",
        line_needle="code: A.1",
        occurrence=2,
    ),
    Case(
        "duplicate-concept-key",
        "v1",
        "concept_key: t.instructie",
        "concept_key: t.profiel",
        "concept_key 't.profiel' komt dubbel voor in deze versie (ook bij A.1)",
        line_needle="concept_key: t.profiel",
        occurrence=2,
    ),
    Case(
        "unknown-sector",
        "v1",
        "        geldt_voor: [PO]\n",
        "        geldt_voor: [PO, BO]\n",
        "onbekende sector 'BO'; kies uit PO, VO, SV",
        line_needle="[PO, BO]",
    ),
    Case(
        "nvt-allowed-but-scale-has-none",
        "v1",
        "  nvt: {label: Niet van toepassing}\n",
        "",
        "n.v.t. is toegestaan bij deze stelling, maar de schaal kent geen n.v.t.",
        line_needle="nvt_toegestaan: true",
    ),
    Case(
        "sufficient-code-not-in-scale",
        "v1",
        'voldoende: ["3", "4"]',
        'voldoende: ["3", "5"]',
        "code '5' telt als voldoende maar staat niet in de schaal",
        line_needle="voldoende:",
    ),
    Case(
        "empty-theme",
        "v1",
        "    titel: Onderwijs\n    stellingen:\n",
        "    titel: Onderwijs\n    stellingen: []\n  - code: C\n    titel: Extra\n"
        "    stellingen:\n",
        "thema B heeft geen stellingen",
        line_needle="stellingen: []",
    ),
    Case(
        "wrong-type",
        "v1",
        "        nvt_toegestaan: true\n",
        "        nvt_toegestaan: misschien\n",
        "moet ja of nee zijn",
        line_needle="nvt_toegestaan: misschien",
    ),
    Case(
        "over-long-text",
        "v1",
        "tekst: De school heeft een plusklas.",
        f"tekst: {LONG_TEXT}",
        "tekst is te lang: maximaal 500 tekens",
        line_needle="Een heel lange stelling",
    ),
    Case(
        "wrong-encoding",
        "v1",
        "tekst: Leraren geven verlengde instructie.",
        "tekst: Leraren geven één keer verlengde instructie.",
        "niet in UTF-8 opgeslagen",
        line_needle="één keer",
        encoding="cp1252",
    ),
    Case(
        "duplicate-key",
        "v1",
        "    titel: Onderwijs\n",
        "    titel: Onderwijs\n    titel: Onderwijs en begeleiding\n",
        "sleutel komt dubbel voor",
        line_needle="titel: Onderwijs en begeleiding",
    ),
    Case(
        "unknown-status",
        "v1",
        "  sectoren: [PO, VO]\n",
        "  sectoren: [PO, VO]\n  status: definitief\n",
        "onbekende status 'definitief'",
        line_needle="status: definitief",
    ),
    Case(
        "lineage-to-unknown-code",
        "v2",
        "vorige: [B.1]",
        "vorige: [B.9]",
        "code 'B.9' bestaat niet in de vorige versie (1)",
        line_needle="vorige: [B.9]",
    ),
    Case(
        "new-and-derived",
        "v2",
        "herkomst: {relatie: nieuw}",
        "herkomst: {relatie: nieuw, vorige: [A.1]}",
        "stelling B.5 is 'nieuw' maar noemt ook vorige stellingen (A.1)",
        line_needle="relatie: nieuw",
    ),
    Case(
        "dropped-code-still-exists",
        "v2",
        "  - code: A.2\n    toelichting: Streefniveau vervallen.\n",
        "  - code: A.2\n    toelichting: Streefniveau vervallen.\n  - code: B.1\n",
        "B.1 staat bij 'vervallen' maar bestaat nog als stelling in deze versie",
        line_needle="  - code: B.1",
        occurrence=2,
    ),
    Case(
        "unknown-relation",
        "v2",
        "relatie: gelijk",
        "relatie: hetzelfde",
        "onbekende relatie 'hetzelfde'",
        line_needle="relatie: hetzelfde",
    ),
    Case(
        "previous-version-not-loaded",
        "v2",
        'vorige_versie: "1"',
        'vorige_versie: "0"',
        "de vorige versie '0' van norm 'testnorm' is niet geladen",
        line_needle="vorige_versie",
    ),
    Case(
        "promoted-from-a-counted-statement",
        "v2",
        "herkomst: {relatie: gelijk, vorige: [B.1], vergelijkbaar: true}",
        "herkomst: {relatie: gepromoveerd, vorige: [B.1]}",
        "'gepromoveerd' is alleen voor stellingen die in de vorige versie niet meetelden",
        line_needle="relatie: gepromoveerd",
    ),
    Case(
        "previous-statement-unaccounted",
        "v2",
        "vervallen:\n  - code: A.2\n    toelichting: Streefniveau vervallen.\n",
        "vervallen: []\n",
        "komen niet terug en staan niet bij 'vervallen': A.2",
        line_needle="vervallen: []",
    ),
    Case(
        "missing-lineage",
        "v2",
        "        herkomst: {relatie: nieuw}\n",
        "",
        "stelling B.5 heeft geen 'herkomst'",
        line_needle="- code: B.5",
    ),
    Case(
        "sector-not-in-version",
        "v1",
        "        geldt_voor: [PO]\n",
        "        geldt_voor: [PO, SV]\n",
        "sector SV hoort niet bij deze versie",
        line_needle="[PO, SV]",
    ),
    # A split that produces one statement only (B.4 now merges B.2 with A.1 instead).
    Case(
        "split-into-one",
        "v2",
        "herkomst: {relatie: gesplitst, vorige: [B.2]}\n      - code: B.5",
        "herkomst: {relatie: samengevoegd, vorige: [B.2, A.1]}\n      - code: B.5",
        "B.2 is 'gesplitst' maar komt maar in één stelling terug (B.3)",
        line_needle="themas:",
    ),
]


def _snapshot() -> dict[str, Any]:
    return {
        "norms": list(Norm.objects.values_list("key", "name")),
        "versions": list(NormVersion.objects.values_list("pk", "label", "source_sha256")),
        "themes": Theme.objects.count(),
        "statements": list(Statement.objects.values_list("pk", "text")),
        "scale": ScaleLevel.objects.count(),
        "dropped": DroppedStatement.objects.count(),
        "links": Statement.derived_from.through.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_there_are_at_least_15_distinct_malformed_files():
    assert len({case.id for case in CASES}) == len(CASES) >= 15
    assert len({case.message for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_malformed_file_is_refused_at_its_line_and_changes_nothing(case: Case, testnorm_v1):
    text = case.text()
    before = _snapshot()
    report = load_norm_files([source(text.encode(case.encoding), f"{case.id}.yaml")])
    assert not report.written
    matching = [error for error in report.errors if case.message in error.message]
    if not matching:
        matching = [error for error in report.errors if case.message in str(error)]
    assert matching, [str(error) for error in report.errors]
    assert matching[0].line == case.expected_line(text), str(matching[0])
    assert matching[0].file == f"{case.id}.yaml"
    assert _snapshot() == before


def test_every_error_is_reported_not_only_the_first(testnorm_v1):
    text = (
        V1.replace("geldt_voor: [PO]", "geldt_voor: [PO, BO]")
        .replace('voldoende: ["3", "4"]', 'voldoende: ["3", "7"]')
        .replace("concept_key: t.instructie", "concept_key: t.profiel")
    )
    report = load_norm_files([source(text)])
    messages = " | ".join(str(error) for error in report.errors)
    assert len(report.errors) == 3, messages
    assert "onbekende sector 'BO'" in messages
    assert "code '7' telt als voldoende" in messages
    assert "concept_key 't.profiel' komt dubbel voor" in messages


def test_error_text_names_file_line_column_and_key(testnorm_v1):
    text = V1.replace("geldt_voor: [PO]", "geldt_voor: [PO, BO]")
    (error,) = load_norm_files([source(text, "fout.yaml")]).errors
    line = line_of(text, "[PO, BO]")
    assert str(error) == (
        f"fout.yaml, regel {line}, kolom 26 [themas[1].stellingen[2].geldt_voor[2]]: "
        "onbekende sector 'BO'; kies uit PO, VO, SV"
    )


def test_one_bad_file_in_a_batch_stops_the_whole_batch(db):
    bad = V2.replace("vorige: [B.1]", "vorige: [B.9]")
    before = _snapshot()
    report = load_norm_files([source(V1, "v1.yaml"), source(bad, "v2.yaml")])
    assert {error.file for error in report.errors} == {"v2.yaml"}
    assert _snapshot() == before
    assert not NormVersion.objects.exists()


def test_command_reports_errors_in_dutch_and_loads_nothing(tmp_path, capsys, db):
    path = tmp_path / "kapot.yaml"
    path.write_text(V1.replace("geldt_voor: [PO]", "geldt_voor: [PO, BO]"), encoding="utf-8")
    with pytest.raises(CommandError, match="1 fout"):
        call_command("load_norm", str(path))
    assert "onbekende sector 'BO'" in capsys.readouterr().err
    assert not NormVersion.objects.exists()
