"""The school report PDF is made by an export job (decision 0232): started by a POST from the
report page after the access check, rendered as the requester in their language, downloaded by
the requester only; a double click makes one job; an old GET bookmark starts nothing."""

import re

import pytest
from django.urls import reverse

from selfscan.accounts.models import Role
from selfscan.exports import services
from selfscan.exports.models import SCHOOL_REPORT, ExportJob
from selfscan.norms.models import Statement
from selfscan.scans.models import Answer, Scan
from tests.factories import UserFactory
from tests.journeys.pdftext import pdf_text
from tests.results.factories import add_reflection
from tests.results.test_school_report import _flat, _page_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role=Role.STAFF))
    return client


def _start(client, round_, school, capture):
    """Press "PDF maken"; the job runs after commit (eager in tests, as in the demo)."""
    with capture(execute=True):
        return client.post(reverse("results:school_report_pdf", args=[round_.pk, school.pk]))


def _made_pdf(client, round_, school, capture) -> tuple[ExportJob, bytes]:
    response = _start(client, round_, school, capture)
    job = ExportJob.objects.filter(kind=SCHOOL_REPORT).latest("created_at")
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.progress, job.file_format) == (ExportJob.Status.DONE, 100, "pdf")
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="schoolrapport-')
    return job, download.content


def test_report_pdf_holds_every_themes_score_and_comparison_equal_to_the_pages(
    staff_client, ten_schools, django_capture_on_commit_callbacks
):
    round_, school = ten_schools.round, ten_schools.schools["S1"]
    job, content = _made_pdf(staff_client, round_, school, django_capture_on_commit_callbacks)
    page = staff_client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "Schoolrapport School S1 (pdf)" in page and "Het schoolrapport is klaar." in page
    text = pdf_text(content)
    themes = list(ten_schools.version.themes.order_by("order"))
    headings = [text.rfind(f"{t.code} {t.title}") for t in themes]
    assert all(h > 0 for h in headings) and headings == sorted(headings)
    for i, theme in enumerate(themes):
        section = text[headings[i] : headings[i + 1] if i + 1 < len(themes) else len(text)]
        card = staff_client.get(
            reverse("results:themakaart", args=[round_.pk, school.pk, theme.pk])
        ).content.decode()
        score, comparison = _page_figures(card)
        assert len(comparison) >= 7  # school, then wijk, bestuur and city: 2–3 figures each
        assert score in section, theme.code
        for figure in comparison:
            assert figure in section, (theme.code, figure)
    # the hand-computed scores of S1: T01 6/6, T02 5/7, T03 6/7
    assert "100,0%" in text and "71,4%" in text and "85,7%" in text


def test_report_pdf_carries_comments_reflection_and_weak_statements(
    staff_client, ten_schools, django_capture_on_commit_callbacks
):
    scan = ten_schools.scans["S1"]
    add_reflection(scan, "T02", "We bespreken dit in het team.", "Scholing in maart.")
    Answer.objects.filter(scan=scan, statement__code="T02.01").update(comment="Staat in het SOP.")
    _job, content = _made_pdf(
        staff_client,
        ten_schools.round,
        ten_schools.schools["S1"],
        django_capture_on_commit_callbacks,
    )
    text = pdf_text(content)
    for expected in ("We bespreken dit in het team.", "Scholing in maart.", "Staat in het SOP."):
        assert _flat(expected) in _flat(text)
    weak = Statement.objects.get(version=ten_schools.version, code="T02.06")
    assert weak.text in text


def test_english_interface_gives_an_english_pdf(
    staff_client, ten_schools, django_capture_on_commit_callbacks
):
    staff_client.cookies.load({"django_language": "en"})
    job, content = _made_pdf(
        staff_client,
        ten_schools.round,
        ten_schools.schools["S1"],
        django_capture_on_commit_callbacks,
    )
    assert job.language == "en"
    text = pdf_text(content)
    assert "School report School S1" in text and "71.4%" in text
    assert "Schoolrapport" not in text and "71,4%" not in text
    page = staff_client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "The school report is ready." in page


def test_a_double_click_makes_one_job(
    staff_client, ten_schools, django_capture_on_commit_callbacks
):
    round_, school = ten_schools.round, ten_schools.schools["S1"]
    first = _start(staff_client, round_, school, django_capture_on_commit_callbacks)
    second = _start(staff_client, round_, school, django_capture_on_commit_callbacks)
    assert ExportJob.objects.filter(kind=SCHOOL_REPORT).count() == 1
    assert first["Location"] == second["Location"]
    # another language is another file
    staff_client.cookies.load({"django_language": "en"})
    _start(staff_client, round_, school, django_capture_on_commit_callbacks)
    assert ExportJob.objects.filter(kind=SCHOOL_REPORT).count() == 2


def test_a_waiting_job_is_reused_and_an_old_finished_one_is_not(staff_client, ten_schools):
    round_, school = ten_schools.round, ten_schools.schools["S1"]
    scan = ten_schools.scans["S1"]
    user = staff_client.session["_auth_user_id"]
    waiting = ExportJob.objects.create(
        requested_by_id=user,
        round=round_,
        kind=SCHOOL_REPORT,
        file_format="pdf",
        scan=scan,
        language="nl",
    )
    # no capture: the enqueue after commit would not run, so only reuse can answer here
    response = staff_client.post(reverse("results:school_report_pdf", args=[round_.pk, school.pk]))
    assert response["Location"] == reverse("exports:job", args=[waiting.pk])
    page = staff_client.get(response["Location"]).content.decode()
    assert "wordt op de achtergrond gemaakt" in page and 'http-equiv="refresh"' in page
    from datetime import timedelta

    from django.utils import timezone

    ExportJob.objects.filter(pk=waiting.pk).update(
        status=ExportJob.Status.DONE, finished_at=timezone.now() - timedelta(hours=1)
    )
    response = staff_client.post(reverse("results:school_report_pdf", args=[round_.pk, school.pk]))
    assert response["Location"] != reverse("exports:job", args=[waiting.pk])
    assert ExportJob.objects.filter(kind=SCHOOL_REPORT).count() == 2


def test_another_schools_user_cannot_start_or_download(
    client, ten_schools, django_capture_on_commit_callbacks
):
    round_, own, other = ten_schools.round, ten_schools.schools["S1"], ten_schools.schools["S2"]
    client.force_login(UserFactory(role=Role.SCHOOL, schools=[own]))
    job, _content = _made_pdf(client, round_, own, django_capture_on_commit_callbacks)
    response = _start(client, round_, other, django_capture_on_commit_callbacks)
    assert response.status_code == 404
    assert ExportJob.objects.filter(kind=SCHOOL_REPORT).count() == 1
    client.force_login(UserFactory(role=Role.SCHOOL, schools=[other]))
    assert client.get(reverse("exports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("exports:job_download", args=[job.pk])).status_code == 404


def test_a_requester_who_lost_access_gets_no_file(client, ten_schools):
    round_ = ten_schools.round
    user = UserFactory(role=Role.SCHOOL, schools=[ten_schools.schools["S2"]])
    job = ExportJob.objects.create(
        requested_by_id=user.pk,
        round=round_,
        kind=SCHOOL_REPORT,
        file_format="pdf",
        scan=ten_schools.scans["S1"],
        language="nl",
    )
    with pytest.raises(Scan.DoesNotExist):
        services.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (ExportJob.Status.FAILED, "DoesNotExist")
    assert not bytes(job.content)
    client.force_login(user)
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "De export is mislukt." in page
    assert client.get(reverse("exports:job_download", args=[job.pk])).status_code == 404


def test_the_old_pdf_address_leads_to_the_report_and_starts_nothing(staff_client, ten_schools):
    round_, school = ten_schools.round, ten_schools.schools["S1"]
    response = staff_client.get(reverse("results:school_report_pdf", args=[round_.pk, school.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("results:school_report", args=[round_.pk, school.pk])
    assert not ExportJob.objects.exists()
    page = staff_client.get(response["Location"]).content.decode()
    action = reverse("results:school_report_pdf", args=[round_.pk, school.pk])
    button = re.search(
        rf'<form method="post" action="{re.escape(action)}"[^>]*>'
        r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>'
        r'<button type="submit" class="button secondary">PDF maken</button>',
        page,
    )
    assert button is not None
