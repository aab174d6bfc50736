"""The staff page: upload, follow the dry run as a job, confirm; the example files.

Celery runs eagerly in tests: a task enqueued after commit runs when the test runs the captured
on-commit callbacks, which is what a worker does later. Capturing them without running them shows
the pages as they are while a real worker has not yet started (test_worker_import.py runs them
through a real worker)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from selfscan.audit.models import AuditEvent
from selfscan.imports import forms, jobs, parsing, services
from selfscan.imports.models import RoundImport
from selfscan.organisations.models import Sector
from selfscan.scans.models import Answer, Scan
from tests.factories import SchoolFactory, UserFactory
from tests.imports.conftest import expected, sample_answers, stored, wide_rows
from tests.imports.factories import csv_bytes, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(role="staff")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def upload(client, round, content, name="0-meting.csv", layout=""):
    return client.post(
        reverse("imports:start"),
        {"round": round.pk, "file": SimpleUploadedFile(name, content), "layout": layout},
    )


def confirm(client, record, sha256=None):
    return client.post(
        reverse("imports:apply", args=[record.pk]), {"sha256": sha256 or record.sha256}
    )


def page(client, record):
    return client.get(reverse("imports:detail", args=[record.pk])).content.decode()


def test_dry_run_and_import_run_as_jobs_the_page_follows(
    staff_client, setup, django_capture_on_commit_callbacks
):
    answers = sample_answers(setup)
    with django_capture_on_commit_callbacks() as check_job:
        response = upload(staff_client, setup.round, csv_bytes(wide_rows(setup, answers)))
    record = RoundImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[record.pk])
    assert len(check_job) == 1

    # Before the worker has run: a progress bar and a page that refreshes itself.
    waiting = page(staff_client, record)
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "wacht op de controle" in waiting and "<progress" in waiting
    assert "Bevestigen en importeren" not in waiting

    check_job[0]()  # the worker runs the dry run
    checked = page(staff_client, record)
    assert 'http-equiv="refresh"' not in checked
    assert "Geen fouten." in checked
    assert "Volledig: ingediend" in checked and "Onvolledig: niet ingediend" in checked
    assert setup.schools[0].vestigingscode in checked
    assert "Bevestigen en importeren" in checked
    assert not Answer.objects.exists()

    with django_capture_on_commit_callbacks() as apply_job:
        response = confirm(staff_client, record)
    assert response.status_code == 302 and len(apply_job) == 1
    applying = page(staff_client, record)
    assert "Het bestand wordt opgeslagen" in applying and 'http-equiv="refresh"' in applying
    assert not Answer.objects.exists()

    apply_job[0]()  # the worker applies it
    done = page(staff_client, record)
    assert "Geïmporteerd: 4 scholen (3 volledig en ingediend), " in done
    assert stored(setup.round) == expected(answers)
    record.refresh_from_db()
    assert record.status == RoundImport.Status.APPLIED
    assert record.confirmed_by == record.applied_by == record.uploaded_by


def test_eager_celery_gives_the_outcome_on_the_next_page(
    staff_client, setup, django_capture_on_commit_callbacks
):
    """The demo runs without a broker: the jobs run inside the requests, the flow is the same."""
    answers = sample_answers(setup)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff_client, setup.round, csv_bytes(wide_rows(setup, answers)))
    checked = staff_client.get(response["Location"]).content.decode()
    assert "Geen fouten." in checked
    record = RoundImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(staff_client, record)
    assert "Geïmporteerd: 4 scholen" in staff_client.get(response["Location"]).content.decode()
    assert stored(setup.round) == expected(answers)


def test_file_with_errors_is_shown_and_its_bytes_dropped(
    staff_client, setup, django_capture_on_commit_callbacks
):
    rows = wide_rows(setup, sample_answers(setup))
    rows[2][3] = "7"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff_client, setup.round, csv_bytes(rows))
    html = staff_client.get(response["Location"]).content.decode()
    assert "Het bestand heeft 1 fout. Er is niets opgeslagen." in html
    assert f"rij 3, kolom D ({setup.codes[1]}): &#x27;7&#x27; is geen antwoord" in html
    assert "Bevestigen en importeren" not in html
    assert "Een (verbeterd) bestand uploaden" in html
    record = RoundImport.objects.get()
    assert record.status == RoundImport.Status.REJECTED
    assert bytes(record.content) == b""
    assert not Answer.objects.exists()


def test_a_file_full_of_errors_lists_the_first_200_and_counts_the_rest(
    staff_client, setup, django_capture_on_commit_callbacks
):
    outsider = SchoolFactory(vestigingscode="99ZZ00", name="Buiten de ronde")
    rows = [
        ["vestigingscode", setup.codes[0]],
        [setup.schools[0].vestigingscode, "9"],  # row 2: not on the scale
        [outsider.vestigingscode, "3"],  # row 3: registered, not invited
    ]
    rows += [[f"{700000 + n}", "3"] for n in range(1232)]  # rows 4 to 1235: unknown schools
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff_client, setup.round, csv_bytes(rows))
    html = staff_client.get(response["Location"]).content.decode()
    assert "Het bestand heeft 1.234 fouten. Er is niets opgeslagen." in html
    listed = html.split('<ol class="problems">')[1].split("</ol>")[0]
    assert listed.count("<li>") == 200
    assert listed.index("rij 2, kolom B") < listed.index("rij 3, kolom A")  # file order
    # The register is read whole for a long list of codes: the outsider is still named.
    assert "rij 3, kolom A (vestigingscode): school 99ZZ00 (Buiten de ronde) is niet" in listed
    assert "rij 201, kolom A" in listed and "rij 202," not in listed
    assert "En nog 1.034 andere fouten, verderop in het bestand." in html
    assert RoundImport.objects.get().report["problem_count"] == 1234


def test_tampered_confirmation_changes_nothing(staff_client, setup):
    upload(staff_client, setup.round, csv_bytes(wide_rows(setup, sample_answers(setup))))
    record = RoundImport.objects.get()
    jobs.run_check(record.pk)
    response = confirm(staff_client, record, sha256="0" * 64)
    assert "hoort niet bij dit bestand" in staff_client.get(response["Location"]).content.decode()
    assert RoundImport.objects.get().status == RoundImport.Status.CHECKED
    assert not Answer.objects.exists()


@pytest.mark.parametrize("status", ["wachtend", "controleren", "afgekeurd", "mislukt"])
def test_only_a_clean_finished_dry_run_can_be_confirmed(staff_client, setup, status):
    upload(staff_client, setup.round, csv_bytes(wide_rows(setup, sample_answers(setup))))
    record = RoundImport.objects.get()
    RoundImport.objects.filter(pk=record.pk).update(status=status)
    response = confirm(staff_client, record)
    html = staff_client.get(response["Location"]).content.decode()
    assert "Alleen een bestand waarvan de proefimport zonder fouten is afgerond" in html
    assert RoundImport.objects.get().status == status
    assert not Answer.objects.exists()


def test_an_expired_dry_run_cannot_be_confirmed(staff_client, setup):
    upload(staff_client, setup.round, csv_bytes(wide_rows(setup, sample_answers(setup))))
    record = RoundImport.objects.get()
    jobs.run_check(record.pk)
    RoundImport.objects.filter(pk=record.pk).update(
        uploaded_at=timezone.now() - timedelta(days=2, minutes=1)
    )
    html = page(staff_client, record)
    assert "Deze proefimport is verlopen" in html and "Bevestigen en importeren" not in html
    response = confirm(staff_client, record)
    assert "Upload het bestand opnieuw" in staff_client.get(response["Location"]).content.decode()
    assert RoundImport.objects.get().status == RoundImport.Status.CHECKED
    assert not Answer.objects.exists()

    # The next upload deletes it; its page is then gone.
    upload(staff_client, setup.round, b"vestigingscode;T01.01\r\n")
    assert not RoundImport.objects.filter(pk=record.pk).exists()
    assert staff_client.get(reverse("imports:detail", args=[record.pk])).status_code == 404


def test_double_confirmation_applies_once(staff_client, setup, django_capture_on_commit_callbacks):
    answers = sample_answers(setup)
    upload(staff_client, setup.round, csv_bytes(wide_rows(setup, answers)))
    record = RoundImport.objects.get()
    jobs.run_check(record.pk)
    with django_capture_on_commit_callbacks() as enqueued:
        confirm(staff_client, record)
        response = confirm(staff_client, record)  # a double click, before the worker starts
    assert len(enqueued) == 1
    assert "wordt al toegepast" in staff_client.get(response["Location"]).content.decode()
    enqueued[0]()
    jobs.run_apply(record.pk)  # the task delivered twice
    response = confirm(staff_client, record)  # and a late third click
    assert "al toegepast; er is niets dubbel opgeslagen" in (
        staff_client.get(response["Location"]).content.decode()
    )
    assert stored(setup.round) == expected(answers)
    assert Answer.objects.count() == len(answers)
    assert AuditEvent.objects.filter(action="import_round").count() == 1
    assert AuditEvent.objects.filter(action="import.confirmed").count() == 1


def test_confirmation_revalidates_against_the_database(
    staff_client, setup, django_capture_on_commit_callbacks
):
    answers = sample_answers(setup)
    upload(staff_client, setup.round, csv_bytes(wide_rows(setup, answers)))
    record = RoundImport.objects.get()
    jobs.run_check(record.pk)
    # Meanwhile the same results arrive in another file.
    services.apply_import(
        round=setup.round,
        content=csv_bytes(wide_rows(setup, answers), delimiter=","),
        file_name="other.csv",
        by=None,
    )
    count = Answer.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(staff_client, record)
    html = staff_client.get(response["Location"]).content.decode()
    assert "Het bestand heeft 4 fouten. Er is niets opgeslagen." in html
    assert "opnieuw gecontroleerd tegen de database" in html
    assert "heeft in deze ronde al antwoorden" in html
    assert Answer.objects.count() == count
    record.refresh_from_db()
    assert record.status == RoundImport.Status.REJECTED
    assert AuditEvent.objects.filter(action="import.refused").exists()


def test_another_staff_members_dry_run_is_not_shown_but_an_applied_import_is(
    staff_client, setup, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(staff_client, setup.round, csv_bytes(wide_rows(setup, sample_answers(setup))))
    record = RoundImport.objects.get()
    colleague = UserFactory(role="staff")
    other = Client()
    other.force_login(colleague)
    assert other.get(reverse("imports:detail", args=[record.pk])).status_code == 404
    assert confirm(other, record).status_code == 404
    assert "0-meting.csv" not in other.get(reverse("imports:start")).content.decode()
    assert RoundImport.objects.get().status == RoundImport.Status.CHECKED

    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff_client, record)
    html = other.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "Geïmporteerd: 4 scholen" in html
    assert "0-meting.csv" in other.get(reverse("imports:start")).content.decode()


def test_a_school_user_gets_403(client, setup, staff_client, world):
    upload(staff_client, setup.round, csv_bytes(wide_rows(setup, sample_answers(setup))))
    record = RoundImport.objects.get()
    client.force_login(world.user("school"))
    assert client.get(reverse("imports:detail", args=[record.pk])).status_code == 403
    assert confirm(client, record).status_code == 403


def test_a_stuck_job_says_so_and_stops_refreshing(staff_client, setup):
    upload(staff_client, setup.round, csv_bytes(wide_rows(setup, sample_answers(setup))))
    record = RoundImport.objects.get()
    RoundImport.objects.filter(pk=record.pk).update(
        status=RoundImport.Status.CHECKING, updated_at=timezone.now() - timedelta(minutes=31)
    )
    html = page(staff_client, record)
    assert "lijkt vastgelopen" in html and "er is niets opgeslagen" in html
    assert 'http-equiv="refresh"' not in html


def test_a_crashing_job_is_shown_as_failed_not_as_an_error_page(
    staff_client, setup, monkeypatch, django_capture_on_commit_callbacks
):
    def crash(**kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(jobs, "check_import", crash)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff_client, setup.round, csv_bytes(wide_rows(setup, {})))
    assert response.status_code == 302
    html = staff_client.get(response["Location"]).content.decode()
    assert "De verwerking is mislukt door een fout op de server. Er is niets opgeslagen." in html
    record = RoundImport.objects.get()
    assert (record.status, record.error) == (RoundImport.Status.FAILED, "RuntimeError")
    assert AuditEvent.objects.filter(action="import.failed").exists()


def test_upload_over_the_size_limit_is_refused_before_it_is_kept(staff_client, setup, monkeypatch):
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 100)
    response = upload(
        staff_client, setup.round, b"vestigingscode;T01.01\r\n" + b"12AB00;3\r\n" * 20
    )
    assert response.status_code == 200
    assert "Het bestand is groter dan 20 MB" in response.content.decode()
    assert not RoundImport.objects.exists()


def test_every_step_is_audited(staff, staff_client, setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(staff_client, setup.round, csv_bytes(wide_rows(setup, sample_answers(setup))))
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff_client, RoundImport.objects.get())
    events = list(
        AuditEvent.objects.filter(object_id=str(setup.round.pk))
        .order_by("id")
        .values_list("action", "actor")
    )
    assert events == [
        ("import.uploaded", staff.pk),
        ("import.checked", staff.pk),
        ("import.confirmed", staff.pk),
        ("import_round", staff.pk),
    ]


def test_open_rounds_are_not_offered(staff_client, setup):
    open_round = make_round(schools=[], po=setup.version, status="open", name="Lopende ronde")
    html = staff_client.get(reverse("imports:start")).content.decode()
    assert setup.round.name in html
    assert open_round.name not in html
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


def test_pages_do_not_grow_in_queries_with_uploads(
    staff_client, setup, django_assert_max_num_queries
):
    rows = wide_rows(setup, sample_answers(setup))
    for delimiter in ";,":
        upload(staff_client, setup.round, csv_bytes(rows, delimiter=delimiter))
    for record in RoundImport.objects.all():
        jobs.run_check(record.pk)
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("imports:start"))
    assert response.content.decode().count("0-meting.csv") == 2
    with django_assert_max_num_queries(8):
        html = page(staff_client, RoundImport.objects.first())
    assert "Geen fouten." in html


def test_the_confirmed_upload_is_the_one_marked_applied(staff_client, setup):
    content = csv_bytes(wide_rows(setup, sample_answers(setup)))
    upload(staff_client, setup.round, content)
    upload(staff_client, setup.round, content)
    first, second = RoundImport.objects.order_by("id")
    for record in (first, second):
        jobs.run_check(record.pk)
    confirm(staff_client, second)
    jobs.run_apply(second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (RoundImport.Status.CHECKED, RoundImport.Status.APPLIED)
    assert second.applied_by is not None
    html = page(staff_client, first)
    assert "al eerder in deze ronde geïmporteerd" in html
    assert "Bevestigen en importeren" not in html
