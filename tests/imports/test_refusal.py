"""A file with errors is refused whole, each error named with row and column; the database is
unchanged; the corrected file imports; importing it again is refused and stores nothing twice."""

import pytest

from selfscan.audit.models import AuditEvent
from selfscan.imports import services
from selfscan.imports.models import RoundImport
from selfscan.scans.models import Answer, Scan, ScanEvent
from tests.factories import SchoolFactory
from tests.imports.conftest import expected, sample_answers, stored, wide_rows
from tests.imports.factories import csv_bytes

pytestmark = pytest.mark.django_db


def snapshot(round):
    return (
        Answer.objects.count(),
        sorted(Scan.objects.filter(round=round).values_list("pk", "status", "imported_from")),
        ScanEvent.objects.count(),
        AuditEvent.objects.count(),
        RoundImport.objects.filter(status=RoundImport.Status.APPLIED).count(),
    )


@pytest.fixture
def broken(setup):
    """The clean rows and a copy with seven kinds of error, at known cells."""
    # T01.02 holds only for VO; the round's schools are PO.
    vo_only = setup.statements[1]
    vo_only.sectors = ["VO"]
    vo_only.save()
    answers = {
        key: value
        for key, value in sample_answers(setup, complete_all=True).items()
        if key[1] != vo_only.code
    }
    clean = wide_rows(setup, answers)
    rows: list[list[str]] = [list(row) for row in clean]
    outsider = SchoolFactory(vestigingscode="99ZZ00", name="Buiten de ronde")
    header = rows[0]
    nvt_not_allowed = next(s.code for s in setup.statements if not s.nvt_allowed)
    col = {code: header.index(code) for code in setup.codes}
    rows[0].insert(len(header) - 1, "T99.99")  # unknown statement code: column before comment
    for row in rows[1:]:
        row.insert(len(row) - 1, "")
    rows[1][col[vo_only.code]] = "3"  # not applicable to PO (row 2)
    rows[2][col[setup.codes[3]]] = "5"  # not on the scale (row 3)
    rows[2][col[nvt_not_allowed]] = "  N.V.T. "  # n.v.t. where not allowed (row 3)
    rows.append(["98ZZ00", "Onbekend", *["3"] * (len(rows[1]) - 2)])  # unknown school (row 6)
    rows.append(
        [str(outsider.vestigingscode), str(outsider.name), *rows[1][2:]]
    )  # not invited (row 7)
    rows.append(list(rows[1]))  # the same school twice (row 8)
    return clean, rows, answers, col, nvt_not_allowed, vo_only


def letter(index):
    from selfscan.imports.parsing import column_letter

    return column_letter(index)


def test_file_with_seven_kinds_of_error_is_refused_whole(setup, broken):
    clean, rows, _answers, col, nvt_code, vo_only = broken
    before = snapshot(setup.round)
    with pytest.raises(services.ImportRefused) as refused:
        services.apply_import(
            round=setup.round, content=csv_bytes(rows), file_name="fouten.csv", by=None
        )
    report = refused.value.report
    assert snapshot(setup.round) == before
    messages = [problem.message for problem in report.problems]
    unknown_col = letter(len(clean[0]) - 1)
    first = setup.schools[0].vestigingscode
    expected_messages = {
        services.UNKNOWN_STATEMENT: f"rij 1, kolom {unknown_col} (T99.99): onbekende stellingcode",
        services.NOT_APPLICABLE: f"rij 2, kolom {letter(col[vo_only.code])} ({vo_only.code}): "
        f"stelling {vo_only.code} geldt niet voor school {first} (sector PO)",
        services.NOT_IN_SCALE: f"rij 3, kolom {letter(col[setup.codes[3]])} ({setup.codes[3]}): "
        "'5' is geen antwoord op de schaal",
        services.NVT_NOT_ALLOWED: f"rij 3, kolom {letter(col[nvt_code])} ({nvt_code}): "
        f"n.v.t. is bij stelling {nvt_code} niet toegestaan",
        services.UNKNOWN_SCHOOL: "rij 6, kolom A (vestigingscode): onbekende vestigingscode "
        "'98ZZ00'",
        services.NOT_INVITED: "rij 7, kolom A (vestigingscode): school 99ZZ00 (Buiten de ronde) is "
        "niet uitgenodigd",
        services.DUPLICATE_SCHOOL: f"rij 8, kolom A (vestigingscode): school {first} staat ook al "
        "in rij 2",
    }
    assert report.problem_kinds == set(expected_messages)
    for kind, start in expected_messages.items():
        assert any(message.startswith(start) for message in messages), (kind, messages)
    assert len(report.problems) == 7


def test_dry_run_writes_nothing_and_the_corrected_file_imports_once(setup, broken):
    clean, rows, answers, *_ = broken
    before = snapshot(setup.round)
    report = services.check_import(round=setup.round, content=csv_bytes(rows), file_name="f.csv")
    assert not report.ok
    assert snapshot(setup.round) == before

    content = csv_bytes(clean)
    services.apply_import(round=setup.round, content=content, file_name="goed.csv", by=None)
    assert stored(setup.round) == expected(answers)
    after_first = snapshot(setup.round)

    # The same file again: refused, nothing doubled.
    with pytest.raises(services.ImportRefused) as again:
        services.apply_import(round=setup.round, content=content, file_name="goed.csv", by=None)
    assert services.ALREADY_IMPORTED in again.value.report.problem_kinds
    assert services.HAS_ANSWERS in again.value.report.problem_kinds
    assert snapshot(setup.round) == after_first
    assert Answer.objects.count() == len(answers)

    # The same answers in another file (other bytes): refused per school.
    other = csv_bytes(clean, delimiter=",")
    with pytest.raises(services.ImportRefused) as changed:
        services.apply_import(round=setup.round, content=other, file_name="kopie.csv", by=None)
    assert changed.value.report.problem_kinds == {services.HAS_ANSWERS}
    assert len(changed.value.report.problems) == len(setup.schools)
    assert snapshot(setup.round) == after_first


def test_long_layout_names_duplicate_pairs_and_unknown_codes(setup):
    school = setup.schools[0].vestigingscode
    rows = [
        ["vestigingscode", "stelling", "antwoord"],
        [school, "T01.01", "3"],
        [school, "t01.01 ", "4"],
        [school, "X1", "4"],
        ["", "T01.02", "4"],
    ]
    report = services.check_import(round=setup.round, content=csv_bytes(rows), file_name="l.csv")
    messages = [p.message for p in report.problems]
    assert messages == [
        f"rij 3, kolom B (stelling): school {school} en stelling T01.01 staan ook al in rij 2; "
        "elke combinatie één keer.",
        "rij 4, kolom B (stelling): onbekende stellingcode 'X1' in de normversies van deze ronde.",
        "rij 5, kolom A (vestigingscode): deze cel is leeg; vul hem in of verwijder de rij.",
    ]


def test_unreadable_file_is_one_clear_problem(setup):
    report = services.check_import(
        round=setup.round, content=b"\xd0\xcf\x11\xe0rest", file_name="oud.xls"
    )
    assert report.problem_kinds == {services.FILE}
    assert ".xls" in report.problems[0].message
    report = services.check_import(
        round=setup.round, content=b"naam;iets\nx;y\n", file_name="x.csv"
    )
    assert "vestigingscode" in report.problems[0].message


def test_a_statement_column_twice_is_an_error(setup):
    school = setup.schools[0].vestigingscode
    rows = [["vestigingscode", "T01.01", "T01.02", "t01.01"], [school, "3", "3", "4"]]
    report = services.check_import(round=setup.round, content=csv_bytes(rows), file_name="d.csv")
    assert [p.message for p in report.problems] == [
        "rij 1, kolom D (t01.01): kolom B heeft dezelfde kop; elke stelling één kolom."
    ]


def test_long_row_without_answer_is_unanswered(setup):
    school = setup.schools[0].vestigingscode
    rows = [
        ["vestigingscode", "stelling", "antwoord"],
        [school, "T01.01", "3"],
        [school, "T01.02", ""],
    ]
    report = services.apply_import(
        round=setup.round, content=csv_bytes(rows), file_name="l.csv", by=None
    )
    assert report.schools[0].answered == 1
    assert stored(setup.round) == {(school, "T01.01", "3", "")}
