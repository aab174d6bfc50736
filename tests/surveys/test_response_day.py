"""A survey response keeps only its day, never its time (decision 0052)."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from selfscan.surveys import services
from selfscan.surveys.models import Response
from tests.surveys.factories import meeting_survey

# 23:37:42 UTC on 4 March is 00:37:42 on 5 March in Amsterdam.
INSTANT = dt.datetime(2026, 3, 4, 23, 37, 42, tzinfo=dt.UTC)
TIMES = ("23:37", "00:37", ":42")


def _submit(survey, token, monkeypatch, at=INSTANT, **values):
    by_key = {q.key: q.pk for q in survey.questions.all()}
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: at)
        return services.submit_response(
            survey, submission_token=token, values={by_key[k]: v for k, v in values.items()}
        )[0]


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def test_a_response_stores_its_local_day_and_no_time(db, monkeypatch):
    survey = meeting_survey()
    response = _submit(survey, "t" * 32, monkeypatch, gehoord=True)
    response.refresh_from_db()
    assert response.submitted_on == dt.date(2026, 3, 5)
    time_fields = [
        f.name for f in Response._meta.get_fields() if isinstance(f, models.DateTimeField)
    ]
    assert time_fields == []


def test_raw_exports_show_the_day_only(staff_client, monkeypatch):
    survey = meeting_survey()
    _submit(survey, "t" * 32, monkeypatch, gehoord=True, wens="Meer tijd")
    raw = staff_client.get(reverse("surveys:export_responses", args=[survey.pk, "csv"]))
    text = raw.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["nr", "ingevuld op"]
    assert rows[1][:2] == ["1", "2026-03-05"]
    assert not any(time in text for time in TIMES)
    xlsx = staff_client.get(reverse("surveys:export_responses", args=[survey.pk, "xlsx"]))
    cells = [
        c.value for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for c in row
    ]
    assert "2026-03-05" in cells
    assert not any(isinstance(v, dt.datetime | dt.time) for v in cells)
    assert not any(isinstance(v, str) and re.search(r"\d{1,2}:\d{2}", v) for v in cells)


def test_pages_and_summary_exports_show_no_time(staff_client, monkeypatch):
    survey = meeting_survey()
    _submit(survey, "t" * 32, monkeypatch, gehoord=True, wens="Meer tijd")
    wens = survey.questions.get(key="wens")
    urls = [
        reverse("surveys:detail", args=[survey.pk]),
        reverse("surveys:summary", args=[survey.pk]),
        reverse("surveys:summary_live", args=[survey.pk]),
        reverse("surveys:coding", args=[survey.pk, wens.pk]),
        reverse("surveys:export_summary", args=[survey.pk, "csv"]),
    ]
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        assert not any(time in body for time in TIMES), url


def test_responses_of_one_day_are_not_listed_in_arrival_order(staff_client, monkeypatch):
    survey = meeting_survey()
    _submit(survey, "z" * 32, monkeypatch, wens="eerste")
    _submit(survey, "a" * 32, monkeypatch, at=INSTANT + dt.timedelta(minutes=5), wens="tweede")
    _submit(survey, "m" * 32, monkeypatch, at=INSTANT - dt.timedelta(days=1), wens="gisteren")
    raw = staff_client.get(reverse("surveys:export_responses", args=[survey.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig")), delimiter=";"))
    column = rows[0].index("wens")
    # By day, then by the random submission token: not first-come first-listed.
    assert [row[column] for row in rows[1:]] == ["gisteren", "tweede", "eerste"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_local_day_of_existing_responses():
    executor = MigrationExecutor(connection)
    before = [("surveys", "0001_initial")]
    after = [("surveys", "0002_response_submitted_on")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    survey = old.get_model("surveys", "Survey").objects.create(
        key="oud", title="Oud", public_token="o" * 32
    )
    old.get_model("surveys", "Response").objects.create(
        survey=survey, submission_token="t", submitted_at=INSTANT
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    stored = new.get_model("surveys", "Response").objects.get(survey__key="oud")
    assert stored.submitted_on == dt.date(2026, 3, 5)
    # leave the database migrated to the latest state for the tests that follow
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
