"""`manage.py import_round`: dry run by default, --apply stores only a clean file."""

import pytest
from django.core.management import CommandError, call_command

from selfscan.scans.models import Answer, Scan
from tests.factories import UserFactory
from tests.imports.conftest import expected, long_rows, sample_answers, stored, wide_rows
from tests.imports.factories import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_round", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_then_apply_by_round_name(setup, tmp_path):
    answers = sample_answers(setup)
    path = tmp_path / "0-meting.xlsx"
    path.write_bytes(xlsx_bytes(wide_rows(setup, answers, labels=True)))
    out, _err = run("--round", setup.round.name, str(path))
    assert "Proefimport zonder fouten: 4 scholen" in out
    assert "volledig" in out and "onvolledig" in out
    assert not Answer.objects.exists()

    staff = UserFactory(role="staff", email="swv@example.org")
    out, _err = run("--round", str(setup.round.pk), str(path), "--apply", "--by", staff.email)
    assert "Geïmporteerd: 4 scholen (3 volledig en ingediend, 1 onvolledig)" in out
    assert stored(setup.round) == expected(answers)
    assert set(Scan.objects.values_list("imported_by", flat=True)) == {staff.pk}

    with pytest.raises(CommandError, match="Import geweigerd"):
        run("--round", setup.round.name, str(path), "--apply")
    assert stored(setup.round) == expected(answers)


def test_errors_are_printed_with_row_and_column(setup, tmp_path):
    rows = long_rows(setup, sample_answers(setup))
    rows[5][2] = "misschien"
    path = tmp_path / "lang.csv"
    path.write_bytes(csv_bytes(rows, encoding="cp1252"))
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="1 fout"):
        call_command(
            "import_round",
            "--round",
            setup.round.name,
            str(path),
            "--apply",
            "--layout",
            "long",
            stdout=StringIO(),
            stderr=err,
        )
    assert f"Fout: rij 6, kolom C (antwoord {rows[5][1]}): 'misschien' is geen antwoord" in (
        err.getvalue()
    )
    assert not Answer.objects.exists()


def test_unknown_round_is_a_clear_error(setup, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"vestigingscode;T01.01\n")
    with pytest.raises(CommandError, match="Geen \\(eenduidige\\) ronde"):
        run("--round", "bestaat niet", str(path))


def test_the_first_200_errors_are_printed_and_the_rest_counted(setup, tmp_path):
    rows = [["vestigingscode", "T01.01"]] + [[f"{800000 + n}", "3"] for n in range(205)]
    path = tmp_path / "onbekend.csv"
    path.write_bytes(csv_bytes(rows))
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="Proefimport: 205 fout"):
        call_command(
            "import_round", "--round", setup.round.name, str(path), stdout=StringIO(), stderr=err
        )
    lines = err.getvalue().splitlines()
    assert sum(1 for line in lines if line.startswith("Fout: rij ")) == 200
    assert lines[-1] == "En nog 5 andere fouten."
