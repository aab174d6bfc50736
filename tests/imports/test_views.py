"""The staff page: upload, dry run, confirm; the example files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from selfscan.imports import parsing, services
from selfscan.imports.models import RoundImport
from selfscan.organisations.models import Sector
from selfscan.scans.models import Answer, Scan
from tests.factories import SchoolFactory, UserFactory
from tests.imports.conftest import expected, sample_answers, stored, wide_rows
from tests.imports.factories import csv_bytes, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role="staff"))
    return client


def upload(client, round, content, name="0-meting.csv", layout=""):
    return client.post(
        reverse("imports:start"),
        {"round": round.pk, "file": SimpleUploadedFile(name, content), "layout": layout},
    )


def test_upload_dry_run_then_confirm(staff_client, setup):
    answers = sample_answers(setup)
    response = upload(staff_client, setup.round, csv_bytes(wide_rows(setup, answers)))
    record = RoundImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[record.pk])
    assert not Answer.objects.exists()

    page = staff_client.get(response["Location"]).content.decode()
    assert "Geen fouten." in page
    assert "Volledig: ingediend" in page and "Onvolledig: niet ingediend" in page
    assert setup.schools[0].vestigingscode in page
    assert "Bevestigen en importeren" in page
    assert not Answer.objects.exists()

    response = staff_client.post(
        reverse("imports:apply", args=[record.pk]), {"sha256": record.sha256}, follow=True
    )
    assert "Geïmporteerd: 4 scholen (3 volledig en ingediend)" in response.content.decode()
    assert stored(setup.round) == expected(answers)
    record.refresh_from_db()
    assert record.status == RoundImport.Status.APPLIED

    # Confirming again stores nothing twice.
    count = Answer.objects.count()
    response = staff_client.post(
        reverse("imports:apply", args=[record.pk]), {"sha256": record.sha256}, follow=True
    )
    assert "De import is geweigerd" in response.content.decode()
    assert Answer.objects.count() == count


def test_file_with_errors_is_shown_and_not_kept(staff_client, setup):
    rows = wide_rows(setup, sample_answers(setup))
    rows[2][3] = "7"
    response = upload(staff_client, setup.round, csv_bytes(rows))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Het bestand heeft 1 fout. Er is niets opgeslagen." in page
    assert f"rij 3, kolom D ({setup.codes[1]}): &#x27;7&#x27; is geen antwoord" in page
    assert not RoundImport.objects.exists()
    assert not Answer.objects.exists()


def test_tampered_confirmation_changes_nothing(staff_client, setup):
    upload(staff_client, setup.round, csv_bytes(wide_rows(setup, sample_answers(setup))))
    record = RoundImport.objects.get()
    response = staff_client.post(
        reverse("imports:apply", args=[record.pk]), {"sha256": "0" * 64}, follow=True
    )
    assert "hoort niet bij dit bestand" in response.content.decode()
    assert not Answer.objects.exists()
    assert RoundImport.objects.get().status == RoundImport.Status.CHECKED


def test_confirmation_revalidates_against_the_database(staff_client, setup):
    answers = sample_answers(setup)
    upload(staff_client, setup.round, csv_bytes(wide_rows(setup, answers)))
    record = RoundImport.objects.get()
    # Meanwhile the same results arrive in another file.
    services.apply_import(
        round=setup.round,
        content=csv_bytes(wide_rows(setup, answers), delimiter=","),
        file_name="other.csv",
        by=None,
    )
    count = Answer.objects.count()
    response = staff_client.post(
        reverse("imports:apply", args=[record.pk]), {"sha256": record.sha256}, follow=True
    )
    page = response.content.decode()
    assert "De import is geweigerd" in page
    assert "heeft in deze ronde al antwoorden" in page
    assert Answer.objects.count() == count


def test_open_rounds_are_not_offered(staff_client, setup):
    open_round = make_round(schools=[], po=setup.version, status="open", name="Lopende ronde")
    page = staff_client.get(reverse("imports:start")).content.decode()
    assert setup.round.name in page
    assert open_round.name not in page
    response = upload(staff_client, open_round, b"vestigingscode;T01.01\n")
    assert "Selecteer een geldige keuze" in response.content.decode()


@pytest.mark.parametrize("layout", ["breed", "lang"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_example_files_use_the_version_codes_and_import_cleanly(staff_client, setup, layout, fmt):
    schools = [
        SchoolFactory(vestigingscode="00XA00", sector=Sector.PO),
        SchoolFactory(vestigingscode="00XB00", sector=Sector.VO),
        SchoolFactory(vestigingscode="00XC00", sector=Sector.SV),
    ]
    round = make_round(schools=schools, po=setup.version, name="Voorbeeldronde")
    response = staff_client.get(reverse("imports:example", args=[setup.version.pk, layout, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        header = [c for c in next(sheet.iter_rows(values_only=True)) if c]
    else:
        header = content.decode("utf-8-sig").splitlines()[0].split(";")
    sheet_codes = set(header) if layout == "breed" else set()
    if layout == "breed":
        assert set(setup.codes) <= sheet_codes
    report = services.apply_import(round=round, content=content, file_name="voorbeeld", by=None)
    assert report.layout == (parsing.WIDE if layout == "breed" else parsing.LONG)
    assert report.complete_count == 3
    values = set(Answer.objects.filter(scan__round=round).values_list("value", flat=True))
    assert values == {"1", "2", "3", "4", "NVT"}
    assert Scan.objects.filter(round=round, status="ingediend").count() == 3


def test_unknown_example_format_is_404(staff_client, setup):
    response = staff_client.get(reverse("imports:example", args=[setup.version.pk, "breed", "pdf"]))
    assert response.status_code == 404


def test_start_page_queries_do_not_grow_with_uploads(
    staff_client, setup, django_assert_max_num_queries
):
    rows = wide_rows(setup, sample_answers(setup))
    for delimiter in ";,":
        upload(staff_client, setup.round, csv_bytes(rows, delimiter=delimiter))
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("imports:start"))
    assert response.content.decode().count("0-meting.csv") == 2


def test_the_confirmed_upload_is_the_one_marked_applied(staff_client, setup):
    content = csv_bytes(wide_rows(setup, sample_answers(setup)))
    upload(staff_client, setup.round, content)
    upload(staff_client, setup.round, content)
    first, second = RoundImport.objects.order_by("id")
    staff_client.post(reverse("imports:apply", args=[second.pk]), {"sha256": second.sha256})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (RoundImport.Status.CHECKED, RoundImport.Status.APPLIED)
    assert second.applied_by is not None
    page = staff_client.get(reverse("imports:detail", args=[first.pk])).content.decode()
    assert "al eerder in deze ronde geïmporteerd" in page
    assert "Bevestigen en importeren" not in page
