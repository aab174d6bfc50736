"""The job pages when the background service could not be reached or a job stopped: the message,
no self-refresh, axe-clean, and "Opnieuw proberen" works without JavaScript (decision 0170)."""

import pytest
from django.urls import reverse

from selfscan.core.jobs import STALLED, UNAVAILABLE
from selfscan.exports.models import ExportJob
from selfscan.imports import jobs as import_jobs
from selfscan.imports.models import RoundImport
from tests.browser.helpers import axe_violations, login
from tests.factories import UserFactory
from tests.imports.conftest import make_setup, sample_answers, wide_rows
from tests.imports.factories import csv_bytes
from tests.results.world import world_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_that_could_not_start_is_retried_without_javascript(
    browser, page, live_server, world
):
    job = ExportJob.objects.create(
        requested_by=world.user("board"),
        round=world_round(world),
        kind="stellingen",
        file_format="csv",
        status=ExportJob.Status.FAILED,
        error=UNAVAILABLE,
    )
    login(page, live_server.url, world.user("board").email)
    page.goto(live_server.url + reverse("exports:job", args=[job.pk]))
    assert "De achtergronddienst is nu niet bereikbaar" in page.inner_text("main")
    assert axe_violations(page) == []
    page.screenshot(path="var/job-retry-export.png", full_page=True)

    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    no_js = context.new_page()
    try:
        login(no_js, live_server.url, world.user("board").email)
        no_js.goto(live_server.url + reverse("exports:job", args=[job.pk]))
        no_js.click("text=Opnieuw proberen")
        no_js.wait_for_load_state()
        assert "De export is klaar." in no_js.inner_text("main")  # eager: built in the request
    finally:
        context.close()
    assert ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.DONE


def test_stalled_import_page_is_accessible(page, live_server):
    setup = make_setup()
    staff = UserFactory(role="staff")
    record = import_jobs.start_check(
        round=setup.round,
        content=csv_bytes(wide_rows(setup, sample_answers(setup))),
        file_name="0-meting.csv",
        by=staff,
    )
    RoundImport.objects.filter(pk=record.pk).update(status=RoundImport.Status.FAILED, error=STALLED)
    login(page, live_server.url, staff.email)
    page.goto(live_server.url + reverse("imports:detail", args=[record.pk]))
    assert "De achtergrondtaak is gestopt zonder resultaat" in page.inner_text("main")
    assert axe_violations(page) == []
    page.screenshot(path="var/job-retry-import.png", full_page=True)
    page.click("text=Opnieuw proberen")
    page.wait_for_load_state()
    assert RoundImport.objects.get(pk=record.pk).status == RoundImport.Status.CHECKED
