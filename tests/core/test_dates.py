"""Dates look the same everywhere: Django's named formats for the active language.

Running text and headers use DATE_FORMAT ("25 november 2026"), dense tables SHORT_DATE_FORMAT
("25-11-2026"), and moments where the time matters (audit log, export jobs, activity)
DATETIME_FORMAT ("25 november 2026 14:30"). Exports keep ISO dates (tested in tests/exports).
"""

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from selfscan.audit.models import AuditEvent
from selfscan.audit.services import record
from selfscan.exports.models import ExportJob
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from tests.factories import make_norm_version
from tests.scans.factories import make_round

TEMPLATES = Path(settings.BASE_DIR) / "templates"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MOMENT = dt.datetime(2026, 11, 25, 14, 30, tzinfo=AMSTERDAM)
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"
WEEKDAYS = "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag"


def long_dutch(day: dt.date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


@pytest.fixture
def round_(world: Any) -> Round:
    version = make_norm_version(key="datums", themes=1, statements_per_theme=2)
    round_ = make_round(
        version=version, schools=[world.school_a1, world.school_a2], name="Zelfscan datums"
    )
    Round.objects.filter(pk=round_.pk).update(
        opens_on=dt.date(2026, 9, 1), closes_on=dt.date(2026, 11, 25)
    )
    round_.refresh_from_db()
    return round_


def _page(client: Any, user: Any, url: str, **headers: str) -> str:
    client.force_login(user)
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_round_detail_shows_the_period_in_the_long_format(client, world, round_):
    html = _page(client, world.user("staff"), reverse("rounds:detail", args=[round_.pk]))
    assert "1 september 2026 – 25 november 2026" in html


@pytest.mark.django_db
def test_round_list_table_shows_the_period_in_the_short_format(client, world, round_):
    html = _page(client, world.user("staff"), reverse("rounds:list"))
    assert "1-9-2026 – 25-11-2026" in html
    assert "1 september 2026" not in html


@pytest.mark.django_db
def test_progress_shows_last_activity_with_its_time(client, world, round_):
    Scan.objects.filter(round=round_, school=world.school_a1).update(last_activity_at=MOMENT)
    html = _page(client, world.user("staff"), reverse("rounds:progress", args=[round_.pk]))
    assert "<td>25 november 2026 14:30</td>" in html


@pytest.mark.django_db
def test_export_job_page_shows_request_time_and_the_day_the_file_goes(client, world, round_):
    staff = world.user("staff")
    job = ExportJob.objects.create(
        requested_by=staff,
        round=round_,
        kind="scores",
        file_format="csv",
        status=ExportJob.Status.DONE,
        file_name="scores.csv",
        finished_at=MOMENT,
    )
    ExportJob.objects.filter(pk=job.pk).update(created_at=MOMENT - dt.timedelta(minutes=5))
    html = _page(client, staff, reverse("exports:job", args=[job.pk]))
    assert "Aangevraagd op 25 november 2026 14:25." in html
    kept = (MOMENT + dt.timedelta(days=settings.EXPORT_RETENTION_DAYS)).date()
    assert f"Het bestand blijft beschikbaar tot {long_dutch(kept)};" in html
    html = _page(client, staff, reverse("exports:index"))
    assert "(25 november 2026 14:25)" in html


@pytest.mark.django_db
def test_audit_log_shows_date_and_time(client, world):
    record(actor=world.user("staff"), action="school.gewijzigd", obj=world.school_a1)
    AuditEvent.objects.update(at=MOMENT)
    html = _page(client, world.user("staff"), reverse("audit:log"))
    assert "<td>25 november 2026 14:30</td>" in html
    assert "25-11-2026" not in html


@pytest.mark.django_db
def test_school_home_shows_the_deadline_with_its_weekday(client, world):
    version = make_norm_version(key="thuis", themes=1, statements_per_theme=2)
    round_ = make_round(version=version, schools=[world.school_a1], closes_in_days=20)
    closes = round_.closes_on
    html = _page(client, world.user("school"), reverse("core:home"))
    weekday = WEEKDAYS.split()[closes.weekday()]
    assert f"Invullen kan tot en met {weekday} {long_dutch(closes)} (nog" in html


@pytest.mark.django_db
def test_submitted_scan_on_the_home_page_shows_the_long_date(client, world):
    version = make_norm_version(key="thuis2", themes=1, statements_per_theme=2)
    round_ = make_round(version=version, schools=[world.school_a1])
    Scan.objects.filter(round=round_, school=world.school_a1).update(
        status=Scan.Status.SUBMITTED, submitted_at=MOMENT
    )
    html = _page(client, world.user("school"), reverse("core:home"))
    assert "Ingediend op 25 november 2026." in html


@pytest.mark.django_db
def test_school_history_shows_changed_dates_in_the_long_format(client, world):
    staff = world.user("staff")
    school = world.school_a1
    client.force_login(staff)
    response = client.post(
        reverse("organisations:school_edit", kwargs={"pk": school.pk}),
        {
            "vestigingscode": school.vestigingscode,
            "name": school.name,
            "sector": "PO",
            "subtype": "",
            "wijk": school.wijk.pk,
            "bestuur": school.bestuur.pk,
            "active_to": "2026-07-31",
        },
    )
    assert response.status_code == 302
    html = _page(client, staff, reverse("organisations:school_detail", args=[school.pk]))
    assert "gewijzigd van – naar 31 juli 2026" in html
    assert "tot en met 31 juli 2026" in html


@pytest.mark.django_db
def test_english_users_get_english_date_formats(client, world, round_):
    staff = world.user("staff")
    html = _page(client, staff, reverse("rounds:detail", args=[round_.pk]), accept_language="en")
    assert "Sept. 1, 2026 – Nov. 25, 2026" in html
    Scan.objects.filter(round=round_, school=world.school_a1).update(last_activity_at=MOMENT)
    url = reverse("rounds:progress", args=[round_.pk])
    html = _page(client, staff, url, accept_language="en")
    assert "<td>Nov. 25, 2026, 2:30 p.m.</td>" in html
    html = _page(client, staff, reverse("rounds:list"), accept_language="en")
    assert "09/01/2026 – 11/25/2026" in html


# Patterns allowed besides the named formats, each with its reason.
ALLOWED_PATTERNS = {
    # The weekday name in front of the localized DATE_FORMAT on the deadline ("vrijdag 25
    # november 2026"): a person plans by weekday; day and month order stay the locale's.
    ("core/includes/deadline.html", "l"),
}
NAMED = {"DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"}
FILTER = re.compile(r"""\|\s*(?:date|time)\s*:\s*(["'])(.*?)\1""")


def test_templates_use_named_date_formats_only():
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        name = path.relative_to(TEMPLATES).as_posix()
        text = path.read_text(encoding="utf-8")
        for match in FILTER.finditer(text):
            pattern = match.group(2)
            if pattern not in NAMED and (name, pattern) not in ALLOWED_PATTERNS:
                found.append(f"{name}: |date:{pattern!r}")
    assert found == [], "use a named format such as DATE_FORMAT: " + ", ".join(found)


def test_the_template_check_sees_a_hard_coded_pattern():
    assert FILTER.search('{{ x|date:"d-m-Y" }}').group(2) == "d-m-Y"
    assert FILTER.search("{{ x|date:'j F Y H:i' }}").group(2) == "j F Y H:i"
