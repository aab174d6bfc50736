"""Open, close and publish ask for confirmation with their consequences in numbers (issue 14).

Without JavaScript: the detail page links to a GET confirmation page; only its POST button
(the `confirm` field of that step) acts. Any other POST changes nothing and is sent back to
the confirmation page.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from selfscan.audit.models import AuditEvent
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from tests.rounds.helpers import submit
from tests.scans.factories import make_round


def _draft(world, version, **extra):
    return make_round(
        version=version,
        schools=[world.school_a1, world.school_a2, world.school_b1],
        opened=False,
        **extra,
    )


def _open(world, version, closes_in_days=30):
    return make_round(
        version=version,
        schools=[world.school_a1, world.school_a2, world.school_b1],
        closes_in_days=closes_in_days,
    )


@pytest.fixture
def staff(client, world):
    client.force_login(world.user("staff"))
    return client


# --- open ------------------------------------------------------------------------------------


def test_open_confirmation_counts_invited_schools_and_those_without_an_account(
    staff, world, version
):
    round_ = _draft(world, version)
    response = staff.get(reverse("rounds:open", args=[round_.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 scholen worden uitgenodigd" in html
    assert "(PO 3)" in html
    # De Tweede has no school-team account at all
    assert "1 van deze scholen heeft nog geen actief account" in html
    assert "<li>De Tweede</li>" in html
    assert "Dit kan niet ongedaan worden gemaakt" in html
    assert 'name="confirm" value="open"' in html


def test_an_inactive_account_does_not_count_as_a_way_in(staff, world, version):
    world.user("school").is_active = False
    world.user("school").save()
    round_ = _draft(world, version)
    html = staff.get(reverse("rounds:open", args=[round_.pk])).content.decode()
    assert "2 van deze scholen hebben nog geen actief account" in html
    assert "<li>De Eerste</li>" in html and "<li>De Tweede</li>" in html


def test_board_account_is_not_a_school_team_account(staff, world, version):
    from tests.factories import UserFactory

    UserFactory(email="bestuurder@example.org", role="board", schools=[world.school_a2])
    round_ = _draft(world, version)
    html = staff.get(reverse("rounds:open", args=[round_.pk])).content.decode()
    assert "1 van deze scholen heeft nog geen actief account" in html


def test_opening_without_the_confirmation_field_changes_nothing(staff, world, version):
    round_ = _draft(world, version)
    url = reverse("rounds:open", args=[round_.pk])
    for data in ({}, {"confirm": "close"}, {"confirm": ""}):
        response = staff.post(url, data)
        assert response.status_code == 302
        assert response["Location"] == url
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT
    assert not Scan.objects.filter(round=round_).exists()
    assert not AuditEvent.objects.filter(action__startswith="round.opened").exists()


def test_opening_with_the_confirmation_opens(staff, world, version):
    round_ = _draft(world, version)
    response = staff.post(reverse("rounds:open", args=[round_.pk]), {"confirm": "open"})
    assert response["Location"] == reverse("rounds:detail", args=[round_.pk])
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    assert Scan.objects.filter(round=round_).count() == 3


def test_open_confirmation_of_a_future_round_says_it_is_scheduled(staff, world, version):
    round_ = _draft(world, version)
    later = timezone.localdate() + timedelta(days=200)
    Round.objects.filter(pk=round_.pk).update(opens_on=later, closes_on=later + timedelta(60))
    html = staff.get(reverse("rounds:open", args=[round_.pk])).content.decode()
    assert "Meetronde plannen" in html
    assert "opent vanzelf op" in html


# --- close -----------------------------------------------------------------------------------


def test_close_confirmation_counts_schools_locked_out_and_warns_before_the_date(
    staff, world, version
):
    round_ = _open(world, version, closes_in_days=59)
    submit(Scan.objects.get(round=round_, school=world.school_a1), world.user("school"))
    html = staff.get(reverse("rounds:close", args=[round_.pk])).content.decode()
    assert "2 scholen hebben nog niet ingediend en kunnen daarna niets meer invullen." in html
    assert "(bezig: 0, niet gestart: 2)" in html
    assert 'id="early-warning"' in html
    assert "nog 60 dagen" in html  # the closing day itself counts
    assert "De Tweede (niet gestart)" in html
    assert "1 van 3 scholen hebben ingediend" in html


def test_close_confirmation_after_the_closing_date_has_no_early_warning(staff, world, version):
    round_ = _open(world, version, closes_in_days=-1)
    html = staff.get(reverse("rounds:close", args=[round_.pk])).content.decode()
    assert 'id="early-warning"' not in html
    assert "3 scholen hebben nog niet ingediend" in html


def test_closing_without_the_confirmation_field_changes_nothing(staff, world, version):
    round_ = _open(world, version)
    url = reverse("rounds:close", args=[round_.pk])
    response = staff.post(url, {"confirm": "open"})
    assert response["Location"] == url
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    staff.post(url, {"confirm": "close"})
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED


# --- publish ---------------------------------------------------------------------------------


def _closed_with_two_submitted(world, version):
    round_ = _open(world, version)
    submit(Scan.objects.get(round=round_, school=world.school_a1), world.user("school"))
    submit(Scan.objects.get(round=round_, school=world.school_b1), world.user("other_school"))
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    return round_


def test_publish_confirmation_says_who_will_see_what(staff, world, version):
    round_ = _closed_with_two_submitted(world, version)
    html = staff.get(reverse("rounds:publish", args=[round_.pk])).content.decode()
    assert "2 schoolteams zien hun eigen resultaten en themakaarten." in html
    assert "2 besturen zien de resultaten van hun eigen scholen." in html
    assert "De stad (het samenwerkingsverband) ziet de resultaten van 2 scholen" in html
    assert "De scholen liggen in 2 wijken." in html
    assert "1 school heeft niet ingediend en telt niet mee." in html
    assert "Publiceren kan niet ongedaan worden gemaakt" in html


def test_publish_confirmation_counts_submitted_schools_without_an_account(staff, world, version):
    round_ = _closed_with_two_submitted(world, version)
    world.user("other_school").is_active = False
    world.user("other_school").save()
    html = staff.get(reverse("rounds:publish", args=[round_.pk])).content.decode()
    assert "1 schoolteam ziet de eigen resultaten en themakaarten." in html
    assert "(1 school die heeft ingediend, heeft geen actief account;" in html


def test_publishing_without_the_confirmation_field_changes_nothing(staff, world, version):
    round_ = _closed_with_two_submitted(world, version)
    url = reverse("rounds:publish", args=[round_.pk])
    assert staff.post(url)["Location"] == url
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    staff.post(url, {"confirm": "publish"})
    round_.refresh_from_db()
    assert round_.status == Round.Status.PUBLISHED


# --- the pages around them -------------------------------------------------------------------


def test_detail_page_links_to_the_confirmation_pages_and_posts_nothing_itself(
    staff, world, version
):
    draft = _draft(world, version)
    html = staff.get(reverse("rounds:detail", args=[draft.pk])).content.decode()
    assert f'href="{reverse("rounds:open", args=[draft.pk])}"' in html
    assert f'action="{reverse("rounds:open", args=[draft.pk])}"' not in html
    round_ = _open(world, version)
    html = staff.get(reverse("rounds:detail", args=[round_.pk])).content.decode()
    assert f'href="{reverse("rounds:close", args=[round_.pk])}"' in html
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    html = staff.get(reverse("rounds:detail", args=[round_.pk])).content.decode()
    assert f'href="{reverse("rounds:publish", args=[round_.pk])}"' in html
    assert f'href="{reverse("rounds:reopen", args=[round_.pk])}"' in html


def test_a_step_that_does_not_fit_the_status_offers_no_button(staff, world, version):
    round_ = _open(world, version)
    html = staff.get(reverse("rounds:publish", args=[round_.pk])).content.decode()
    assert "Deze stap kan nu niet: de meetronde is Open." in html
    assert 'name="confirm"' not in html
    staff.post(reverse("rounds:publish", args=[round_.pk]), {"confirm": "publish"})
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN


@pytest.mark.parametrize("name", ["open", "close", "publish", "reopen"])
def test_board_users_get_no_confirmation_page(client, world, version, name):
    round_ = _open(world, version)
    client.force_login(world.user("board"))
    assert client.get(reverse(f"rounds:{name}", args=[round_.pk])).status_code == 403


@pytest.mark.parametrize("name", ["open", "close", "publish", "reopen"])
def test_get_on_a_confirmation_page_changes_nothing(staff, world, version, name):
    round_ = _open(world, version)
    before = AuditEvent.objects.count()
    assert staff.get(reverse(f"rounds:{name}", args=[round_.pk])).status_code == 200
    assert AuditEvent.objects.count() == before
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
