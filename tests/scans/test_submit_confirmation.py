"""Submitting asks the school to confirm what it means; the server checks it (issue 14)."""

import pytest
from django.urls import reverse

from selfscan.scans.models import Scan, ScanEvent
from tests.rounds.helpers import answer_all
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(client, world):
    from tests.factories import make_norm_version

    version = make_norm_version(key="indienen", themes=1, statements_per_theme=2, nvt_every=0)
    round_ = make_round(version=version, schools=[world.school_a1])
    scan = Scan.objects.select_related("norm_version").get(round=round_)
    answer_all(scan, world.user("school"))
    client.force_login(world.user("school"))
    return scan


def test_review_page_says_what_submitting_means(client, ready):
    html = client.get(reverse("scans:review", args=[ready.pk])).content.decode()
    assert "Na het indienen kunt u de antwoorden niet meer wijzigen" in html
    assert "Alleen het samenwerkingsverband kan een ingediende zelfscan heropenen" in html
    assert 'name="confirm" value="1" id="submit-confirm" required' in html


def test_submit_without_the_confirmation_changes_nothing(client, ready):
    response = client.post(reverse("scans:submit", args=[ready.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("scans:review", args=[ready.pk])
    assert "Vink eerst aan dat u begrijpt" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Scan.Status.IN_PROGRESS
    assert not ScanEvent.objects.filter(scan=ready).exists()


def test_submit_with_the_confirmation_submits(client, ready):
    response = client.post(reverse("scans:submit", args=[ready.pk]), {"confirm": "1"}, follow=True)
    assert "De zelfscan is ingediend. Dank u wel!" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Scan.Status.SUBMITTED


def test_after_the_submit_the_overview_leads_to_the_schools_results(client, ready):
    """The submit lands on the scan's overview; from there one click shows the school's
    themakaarten (its score per theme), which now include this scan."""
    overview = client.get(reverse("scans:overview", args=[ready.pk])).content.decode()
    results = reverse("results:school_overview", args=[ready.round_id, ready.school_id])
    assert results not in overview  # nothing to show before the submit
    response = client.post(reverse("scans:submit", args=[ready.pk]), {"confirm": "1"}, follow=True)
    html = response.content.decode()
    assert f'id="scan-results" href="{results}"' in html
    page = client.get(results)
    assert page.status_code == 200
    assert ready.school.name in page.content.decode()


def test_a_submitted_scan_offers_its_answers_to_read_not_to_submit_again(client, world):
    """After the submit the overview no longer says "Controleren en indienen" (nothing is left
    to submit); it leads to the answers, theme by theme, read only."""
    from tests.factories import make_norm_version

    version = make_norm_version(key="nalezen", themes=2, statements_per_theme=2, nvt_every=0)
    round_ = make_round(version=version, schools=[world.school_a1])
    scan = Scan.objects.select_related("norm_version").get(round=round_)
    answer_all(scan, world.user("school"))
    client.force_login(world.user("school"))
    overview_url = reverse("scans:overview", args=[scan.pk])
    before = client.get(overview_url).content.decode()
    assert "Controleren en indienen" in before
    assert 'id="scan-answers"' not in before

    client.post(reverse("scans:submit", args=[scan.pk]), {"confirm": "1"})
    html = client.get(overview_url).content.decode()
    themes = [theme.code for theme in version.themes.order_by("order")]
    first = reverse("scans:step", args=[scan.pk, themes[0]])
    second = reverse("scans:step", args=[scan.pk, themes[1]])
    assert "Controleren en indienen" not in html
    assert f'id="scan-answers" href="{first}"' in html
    assert f'<a href="{second}">' in html  # the theme table links to each theme

    step = client.get(first).content.decode()
    assert "disabled" in step and 'id="next-button"' not in step  # read only, no form buttons
    assert f'href="{second}" rel="next">Volgende thema</a>' in step
    assert 'rel="prev"' not in step  # the first theme has none
    last = client.get(second).content.decode()
    assert f'href="{first}" rel="prev">Vorige thema</a>' in last
    assert 'rel="next"' not in last
