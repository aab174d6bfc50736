from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from selfscan.scans.services import save_answer
from tests.factories import SchoolFactory, WijkFactory
from tests.scans.factories import make_round


def test_staff_create_and_open_a_round_through_the_pages(client, world, version):
    client.force_login(world.user("staff"))
    today = timezone.localdate()
    response = client.post(
        reverse("rounds:create"),
        {
            "name": "Zelfscan 2025-2026",
            "version_po": version.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=30)).isoformat(),
            "threshold_percent": 85,
            "reminder_days_before": 7,
        },
    )
    round_ = Round.objects.get()
    assert response["Location"] == reverse("rounds:detail", kwargs={"pk": round_.pk})
    client.post(reverse("rounds:open", kwargs={"pk": round_.pk}), {"confirm": "open"})
    assert Scan.objects.filter(round=round_).count() == 3


def test_threshold_out_of_range_is_refused(client, world, version):
    client.force_login(world.user("staff"))
    today = timezone.localdate()
    response = client.post(
        reverse("rounds:create"),
        {
            "name": "X",
            "version_po": version.pk,
            "opens_on": today.isoformat(),
            "closes_on": today.isoformat(),
            "threshold_percent": 150,
            "reminder_days_before": 7,
        },
    )
    assert "Kies een percentage van 1 tot en met 100." in response.content.decode()
    assert Round.objects.count() == 0


def make_many(world, version, n):
    schools = [world.school_a1, world.school_a2, world.school_b1]
    for i in range(n):
        schools.append(SchoolFactory(bestuur=world.bestuur_a, wijk=WijkFactory(name=f"W{i % 3}")))
    return make_round(version=version, schools=schools)


def test_progress_shows_status_percent_and_response_rate(client, world, version):
    round_ = make_round(
        version=version, schools=[world.school_a1, world.school_a2, world.school_b1]
    )
    scan = Scan.objects.get(round=round_, school=world.school_a1)
    first = version.statements.order_by("theme__order", "order").first()
    save_answer(
        scan=scan, statement_id=first.pk, by=world.user("school"), value="3", expected_version=0
    )
    Scan.objects.filter(round=round_, school=world.school_b1).update(status=Scan.Status.SUBMITTED)
    client.force_login(world.user("staff"))
    html = client.get(reverse("rounds:progress", kwargs={"pk": round_.pk})).content.decode()
    assert "Respons: 33% (1 van 3 scholen hebben ingediend)" in html
    assert "bezig (16%)" in html  # 1 of 6 statements
    assert "niet gestart" in html


def test_board_sees_only_its_own_schools(client, world, version):
    round_ = make_round(
        version=version, schools=[world.school_a1, world.school_a2, world.school_b1]
    )
    client.force_login(world.user("board"))
    html = client.get(reverse("rounds:progress", kwargs={"pk": round_.pk})).content.decode()
    assert "De Eerste" in html and "De Tweede" in html
    assert "De Derde" not in html
    assert "(0 van 2 scholen hebben ingediend)" in html


def test_progress_filters(client, world, version):
    round_ = make_round(
        version=version, schools=[world.school_a1, world.school_a2, world.school_b1]
    )
    client.force_login(world.user("staff"))
    url = reverse("rounds:progress", kwargs={"pk": round_.pk})
    html = client.get(url, {"bestuur": world.bestuur_b.pk}).content.decode()
    assert "De Derde" in html and "De Eerste" not in html
    html = client.get(url, {"wijk": world.wijk_a.pk}).content.decode()
    assert "De Eerste" in html and "De Tweede" not in html
    html = client.get(url, {"sector": "VO"}).content.decode()
    assert "Geen scholen gevonden." in html


def test_progress_query_count_does_not_grow_with_schools(
    client, world, version, django_assert_max_num_queries
):
    round_ = make_many(world, version, 40)
    client.force_login(world.user("staff"))
    url = reverse("rounds:progress", kwargs={"pk": round_.pk})
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 44  # header + 43 schools


def test_staff_reopen_a_submitted_scan_with_a_reason(client, world, version):
    round_ = make_round(version=version, schools=[world.school_a1])
    scan = Scan.objects.get(round=round_)
    Scan.objects.filter(pk=scan.pk).update(status=Scan.Status.SUBMITTED)
    client.force_login(world.user("staff"))
    url = reverse("rounds:reopen_scan", kwargs={"pk": scan.pk})
    response = client.post(url, {"reason": ""})
    assert "Dit veld is verplicht." in response.content.decode()
    client.post(url, {"reason": "Graag thema 1 aanvullen."})
    scan.refresh_from_db()
    assert scan.status == Scan.Status.IN_PROGRESS
    assert scan.events.get().reason == "Graag thema 1 aanvullen."


def test_progress_selector_is_two_queries_whatever_the_number_of_schools(
    world, version, django_assert_num_queries
):
    from selfscan.rounds.selectors import progress

    round_ = make_many(world, version, 30)
    staff = world.user("staff")
    with django_assert_num_queries(2):  # statement totals + one query for all rows
        result = progress(staff, round_, {})
        rows = [(row.scan.school.name, row.scan.wijk, row.scan.bestuur.name) for row in result.rows]
    assert len(rows) == 33
    assert result.invited == 33 and result.not_started == 33
