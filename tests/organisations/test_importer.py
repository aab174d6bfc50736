"""The register import: the acceptance scenario of issue 5 and the reading rules."""

import io

import pytest
from openpyxl import Workbook

from selfscan.audit.models import AuditEvent
from selfscan.organisations.importer import plan_import, read_table, template_csv
from selfscan.organisations.models import School
from selfscan.organisations.services import ImportRefused, apply_register_import
from tests.organisations.duo import Row, duo_file, hundred_schools, replace, school_code

pytestmark = pytest.mark.django_db

BESTUREN = ["41001", "41002", "41003"]
WIJKEN = ["Stad 1", "Stad 2"]


def _bad_file() -> tuple[bytes, list[int]]:
    """The 100-school DUO file with five bad rows; returns the file and their row numbers."""
    rows = hundred_schools(BESTUREN, WIJKEN)
    rows[4] = replace(rows[4], code="12A-00")  # bad vestigingscode -> spreadsheet row 6
    rows[19] = replace(rows[19], bestuur="99999")  # unknown board -> row 21
    rows[39] = replace(rows[39], name="")  # missing name -> row 41
    rows[59] = replace(rows[59], code=rows[9].code)  # duplicate of row 11 -> row 61
    rows[89] = replace(rows[89], sector="MBO")  # wrong sector -> row 91
    return duo_file(rows), [6, 21, 41, 61, 91]


def test_hundred_school_file_with_five_bad_rows_is_refused_whole_naming_them(register):
    content, bad_rows = _bad_file()
    plan = plan_import(content, "duo.csv")
    assert not plan.ok
    assert sorted({error.row for error in plan.errors}) == bad_rows
    by_row = {error.row: error for error in plan.errors}
    assert by_row[6].column == "VESTIGINGSCODE" and "ongeldige vestigingscode" in by_row[6].message
    assert by_row[21].column == "BEVOEGD GEZAG NUMMER" and "onbekend bestuur 99999" in (
        by_row[21].message
    )
    assert by_row[41].column == "VESTIGINGSNAAM" and "naam ontbreekt" in by_row[41].message
    assert by_row[61].column == "VESTIGINGSCODE" and "staat ook in rij 11" in by_row[61].message
    assert by_row[91].column == "SECTOR" and "ongeldige sector 'MBO'" in by_row[91].message
    assert str(by_row[6]).startswith("rij 6, kolom VESTIGINGSCODE: ")
    with pytest.raises(ImportRefused) as refused:
        apply_register_import(content, "duo.csv", actor=None)
    assert len(refused.value.plan.errors) == 5
    assert School.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_corrected_file_imports_and_reimport_is_a_noop(register, staff_user):
    content = duo_file(hundred_schools(BESTUREN, WIJKEN))
    plan = apply_register_import(content, "duo.csv", actor=staff_user)
    assert len(plan.creates) == 100
    assert School.objects.count() == 100
    school = School.objects.get(vestigingscode=school_code(0))
    assert school.name == "Testschool Ééntje 000"  # decoded from Windows-1252
    assert school.wijk.name == "Stad 1" and school.bestuur.bevoegd_gezag_nummer == "41001"
    assert School.objects.filter(sector="SV").count() == 6
    assert school.history.count() == 1 and school.history.first().history_user == staff_user

    history_rows = School.history.count()
    events = AuditEvent.objects.count()
    again = plan_import(content, "duo.csv")
    assert again.is_noop and again.unchanged == 100
    apply_register_import(content, "duo.csv", actor=staff_user)
    assert School.history.count() == history_rows
    # Only the summary event of the second import; no school was touched.
    assert AuditEvent.objects.count() == events + 1


def test_changed_file_shows_creates_changes_and_closes_in_the_dry_run(register, staff_user):
    rows = hundred_schools(BESTUREN, WIJKEN)
    apply_register_import(duo_file(rows), "duo.csv", actor=staff_user)
    changed = list(rows)
    changed[0] = replace(rows[0], wijk="Stad 2", name="Testschool Nieuwe Naam")
    changed[1] = replace(rows[1], bestuur="41003")
    del changed[2]  # a PO school disappears from the file: it will be closed
    changed.append(Row(bestuur="41001", code="79ZZ00", name="Nieuwe School"))
    plan = plan_import(duo_file(changed), "duo-2026.csv", close_missing=True)
    assert plan.ok
    assert [c.values["vestigingscode"] for c in plan.creates] == ["79ZZ00"]
    changes = {c.school.vestigingscode: c.changes for c in plan.changes}
    assert set(changes) == {rows[0].code, rows[1].code}
    old_wijk, new_wijk = changes[rows[0].code]["wijk"]
    assert (old_wijk.name, new_wijk.name) == ("Stad 1", "Stad 2")
    assert changes[rows[0].code]["name"] == ("Testschool Ééntje 000", "Testschool Nieuwe Naam")
    old_bestuur, new_bestuur = changes[rows[1].code]["bestuur"]
    assert (old_bestuur.bevoegd_gezag_nummer, new_bestuur.bevoegd_gezag_nummer) == (
        "41002",
        "41003",
    )
    assert [s.vestigingscode for s in plan.closes] == [rows[2].code]
    assert School.objects.get(vestigingscode=rows[0].code).wijk.name == "Stad 1"  # dry run

    apply_register_import(duo_file(changed), "duo-2026.csv", actor=staff_user, close_missing=True)
    closed = School.objects.get(vestigingscode=rows[2].code)
    assert closed.active_to == plan.close_on
    assert not School.objects.active().filter(pk=closed.pk).exists()
    assert plan_import(duo_file(changed), "duo-2026.csv").is_noop


def test_missing_vo_schools_are_not_closed_by_a_po_only_file(register, staff_user):
    rows = hundred_schools(BESTUREN, WIJKEN)
    apply_register_import(duo_file(rows), "all.csv", actor=staff_user)
    plan = plan_import(duo_file(rows[:80]), "po.csv", close_missing=True)
    assert plan.closes == [] and plan.is_noop


def test_rows_of_another_gemeente_are_skipped(register):
    rows = [
        Row(bestuur="41001", code="70AQ00", name="In Almere"),
        Row(bestuur="99999", code="70BQ00", name="Elders", gemeente="LELYSTAD"),
    ]
    plan = plan_import(duo_file(rows), "duo.csv")
    assert plan.ok and plan.skipped == 1 and len(plan.creates) == 1


def test_utf8_comma_file_and_missing_columns_are_read(register):
    utf8 = duo_file([Row(bestuur="41001", code="70AQ00", name="Één")], "utf-8", ",")
    table, errors = read_table(utf8, "x.csv")
    assert errors == [] and table.delimiter == "," and table.encoding == "utf-8"
    plan = plan_import(utf8, "x.csv")
    assert plan.creates[0].values["name"] == "Één"
    _table, errors = read_table(b"NAAM;POSTCODE\r\nx;y\r\n", "x.csv")
    assert {e.column for e in errors} == {"VESTIGINGSCODE", "BEVOEGD GEZAG NUMMER"}


def test_wijk_for_a_vo_school_and_unknown_wijk_are_errors(register):
    rows = [
        Row(bestuur="41001", code="70AQ00", name="VO met wijk", sector="VO", wijk="Stad 1"),
        Row(bestuur="41001", code="70BQ00", name="Onbekende wijk", wijk="Stad 9"),
    ]
    plan = plan_import(duo_file(rows), "duo.csv")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "WIJK"), (3, "WIJK")]


def test_file_without_swv_columns_keeps_sector_and_wijk(register, staff_user):
    rows = hundred_schools(BESTUREN, WIJKEN)[:3]
    apply_register_import(duo_file(rows), "duo.csv", actor=staff_user)
    plain = (
        "BEVOEGD GEZAG NUMMER;VESTIGINGSCODE;VESTIGINGSNAAM;POSTCODE\r\n"
        + "".join(f"{r.bestuur};{r.code};{r.name};{r.postcode}\r\n" for r in rows)
    ).encode("cp1252")
    plan = plan_import(plain, "duo-plain.csv")
    assert plan.is_noop, plan.changes
    # A new school without SECTOR needs ONDERWIJSSTRUCTUUR or a SECTOR column.
    new = plain + b"41001;70ZQ00;Nieuw;1315 AA\r\n"
    assert [(e.row, e.column) for e in plan_import(new, "x.csv").errors] == [(5, "SECTOR")]


def test_our_template_and_xlsx_import_with_a_new_bestuur(register, staff_user):
    assert template_csv().decode("utf-8-sig").startswith("vestigingscode;naam;")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "vestigingscode",
            "naam",
            "bevoegd gezag nummer",
            "bestuursnaam",
            "sector",
            "soort",
            "wijk",
            "aantal leerlingen",
            "e-mailadres",
        ]
    )
    sheet.append(
        [
            "71AQ00",
            "SO De Brug",
            50001,
            "Stichting Nieuw",
            "SV",
            "SO",
            None,
            80,
            "Directie@Brug.example",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = apply_register_import(buffer.getvalue(), "register.xlsx", actor=staff_user)
    assert plan.new_besturen == {"50001": "Stichting Nieuw"}
    school = School.objects.get(vestigingscode="71AQ00")
    assert (school.sector, school.subtype, school.wijk, school.pupil_count) == (
        "SV",
        "SO",
        None,
        80,
    )
    assert school.bestuur.name == "Stichting Nieuw"
    assert school.contact_email == "directie@brug.example"


def test_garbage_and_empty_files_are_refused_in_dutch(register):
    assert str(plan_import(b"", "x.csv").errors[0]) == "bestand: het bestand is leeg"
    bad_xlsx = plan_import(b"PK\x03\x04rommel", "x.xlsx")
    assert "geen leesbaar Excel-bestand" in bad_xlsx.errors[0].message


def test_duo_file_with_brin_and_vestigingsnummer_columns(register):
    content = (
        "BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSNUMMER;VESTIGINGSNAAM;SECTOR\r\n"
        "41001;70AQ;1;Dependance;PO\r\n"
        "41001;70AQ;00;Hoofdvestiging;PO\r\n"
    ).encode("cp1252")
    plan = plan_import(content, "duo.csv")
    assert plan.ok, plan.errors
    assert [c.values["vestigingscode"] for c in plan.creates] == ["70AQ01", "70AQ00"]
