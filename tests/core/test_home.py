"""The home page after login: what matters to each role, in a fixed number of queries."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfscan.core.selectors import home_for
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from selfscan.scans.services import save_answer
from tests.factories import SchoolFactory, UserFactory, make_norm_version
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db: Any):
    return make_norm_version(key="anbhome", themes=2, statements_per_theme=3)


@pytest.fixture
def open_round(world, version):
    return make_round(
        version=version,
        schools=[world.school_a1, world.school_a2, world.school_b1],
        name="Zelfscan 2025-2026",
        closes_in_days=20,
    )


def _answer_first(scan: Scan, user: Any, version: Any) -> None:
    first = version.statements.order_by("theme__order", "order").first()
    save_answer(scan=scan, statement_id=first.pk, by=user, value="3", expected_version=0)


def test_school_user_sees_own_scan_progress_deadline_and_continue_button(
    client, world, version, open_round
):
    scan = Scan.objects.get(round=open_round, school=world.school_a1)
    _answer_first(scan, world.user("school"), version)
    client.force_login(world.user("school"))
    html = client.get(reverse("core:home")).content.decode()
    assert "Zelfscan 2025-2026: De Eerste" in html
    assert "1 van 6 stellingen beantwoord (16%)" in html
    assert "(nog 21 dagen)" in html  # the closing day itself counts
    assert reverse("scans:wizard", kwargs={"pk": scan.pk}) in html
    assert "Verder invullen" in html
    assert "De Tweede" not in html and "De Derde" not in html


def test_school_user_with_submitted_scan_gets_no_continue_button(client, world, open_round):
    scan = Scan.objects.get(round=open_round, school=world.school_a1)
    Scan.objects.filter(pk=scan.pk).update(status=Scan.Status.SUBMITTED)
    client.force_login(world.user("school"))
    html = client.get(reverse("core:home")).content.decode()
    assert "Deze zelfscan is ingediend." in html
    assert reverse("scans:wizard", kwargs={"pk": scan.pk}) not in html


def test_school_user_without_open_round_gets_a_helpful_sentence(client, world, version):
    make_round(version=version, schools=[world.school_a1], opened=False)  # a draft: not shown
    client.force_login(world.user("school"))
    html = client.get(reverse("core:home")).content.decode()
    assert "Er staat op dit moment geen zelfscan voor u open." in html


def test_board_sees_only_its_schools_response(client, world, open_round):
    Scan.objects.filter(round=open_round, school=world.school_a2).update(
        status=Scan.Status.SUBMITTED
    )
    client.force_login(world.user("board"))
    html = client.get(reverse("core:home")).content.decode()
    assert "Respons: 50% (1 van 2 scholen hebben ingediend)" in html
    assert "De Eerste" in html and "De Tweede" in html
    assert "De Derde" not in html


def test_staff_sees_city_response_drafts_and_shortcuts(client, world, version, open_round):
    Scan.objects.filter(round=open_round, school=world.school_b1).update(
        status=Scan.Status.SUBMITTED
    )
    make_round(version=version, schools=[world.school_a1], name="Volgend jaar", opened=False)
    client.force_login(world.user("staff"))
    html = client.get(reverse("core:home")).content.decode()
    assert "Respons: 33% (1 van 3 scholen hebben ingediend)" in html
    assert "Er staat 1 meetronde klaar als concept." in html
    assert reverse("rounds:progress", kwargs={"pk": open_round.pk}) in html
    assert reverse("organisations:school_list") in html


def test_adviser_and_anonymous_get_no_round_panels(client, world, open_round):
    client.force_login(world.user("adviser"))
    assert home_for(world.user("adviser")).rounds == []
    html = client.get(reverse("core:home")).content.decode()
    assert "Respons:" not in html
    client.logout()
    html = client.get(reverse("core:home")).content.decode()
    assert "Inloggen" in html and "Respons:" not in html


def test_closed_round_is_not_on_the_home_page(client, world, open_round):
    Round.objects.filter(pk=open_round.pk).update(status=Round.Status.CLOSED)
    client.force_login(world.user("board"))
    html = client.get(reverse("core:home")).content.decode()
    assert "Er is op dit moment geen meetronde open voor uw scholen." in html


def _grow(world, version, n: int) -> None:
    schools = [SchoolFactory(bestuur=world.bestuur_a, wijk=world.wijk_a) for _ in range(n)]
    make_round(version=version, schools=schools, name="Groot")
    world.user("school").schools.add(*schools)


@pytest.mark.parametrize("role", ["school", "board", "staff"])
def test_home_query_count_does_not_grow_with_schools(
    client, world, version, role, django_assert_max_num_queries
):
    _grow(world, version, 30)
    client.force_login(world.user(role))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("core:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Respons:" if role != "school" else "stellingen beantwoord") >= 1


def test_school_home_queries_are_the_same_for_one_or_many_schools(client, world, version):
    make_round(version=version, schools=[world.school_a1], name="Klein")
    client.force_login(world.user("school"))

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("core:home"))
    ib = UserFactory(email="ib@example.org", role="school", schools=[world.school_a1])
    extra = [SchoolFactory(bestuur=world.bestuur_a, wijk=world.wijk_a) for _ in range(5)]
    make_round(version=version, schools=extra, name="Klein 2")
    ib.schools.add(*extra)
    Round.objects.filter(name="Klein 2").update(status=Round.Status.CLOSED)
    Round.objects.filter(name="Klein").update(status=Round.Status.CLOSED)
    make_round(version=version, schools=[world.school_a1, *extra], name="Samen")
    Round.objects.exclude(name="Samen").update(status=Round.Status.CLOSED)
    client.force_login(ib)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("core:home")).content.decode()
    assert html.count("stellingen beantwoord") == 6
    assert len(many.captured_queries) == len(one.captured_queries)


def test_school_user_is_warned_when_the_closing_date_is_near(client, world, version):
    round_ = make_round(version=version, schools=[world.school_a1], closes_in_days=0)
    Round.objects.filter(pk=round_.pk).update(reminder_days_before=7)
    client.force_login(world.user("school"))
    html = client.get(reverse("core:home")).content.decode()
    assert "(nog 1 dag)" in html
    assert "Let op: de sluitingsdatum komt dichtbij." in html


def test_past_closing_date_is_said_once_and_offers_no_button(client, world, version):
    round_ = make_round(version=version, schools=[world.school_a1], closes_in_days=-1)
    scan = Scan.objects.get(round=round_)
    client.force_login(world.user("school"))
    html = client.get(reverse("core:home")).content.decode()
    assert html.count("is verstreken") == 1
    assert "Er kan niets meer worden gewijzigd." in html
    assert reverse("scans:wizard", kwargs={"pk": scan.pk}) not in html
