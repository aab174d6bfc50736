"""The round form: schools grouped by sector and selectable per sector, bestuur and wijk
(without JavaScript through the group checkboxes), sorted by name; each sector's norm version
defaults to its latest adopted version (issue 14)."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from selfscan.norms.models import NormVersion
from selfscan.rounds.forms import RoundForm, latest_adopted_version
from selfscan.rounds.models import Round
from tests.factories import SchoolFactory, make_norm_version


@pytest.fixture
def staff(client, world):
    client.force_login(world.user("staff"))
    return client


def _data(version, **extra):
    today = timezone.localdate()
    data = {
        "name": "Zelfscan 2026-2027",
        "version_po": version.pk,
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "threshold_percent": 85,
        "reminder_days_before": 7,
    }
    data.update(extra)
    return data


def _invited(round_: Round) -> list[str]:
    return sorted(round_.invited_schools.values_list("name", flat=True))


def test_each_sector_defaults_to_its_latest_adopted_version(world):
    old = make_norm_version(key="anb", label="2024", themes=1)
    new = make_norm_version(key="anb", label="2025", themes=1)
    concept = make_norm_version(key="anb", label="2026", themes=1)
    vo_only = make_norm_version(key="vo", label="2026", themes=1)
    NormVersion.objects.filter(pk=old.pk).update(adopted_on=date(2024, 12, 1))
    NormVersion.objects.filter(pk=new.pk).update(adopted_on=date(2025, 7, 1))
    NormVersion.objects.filter(pk=concept.pk).update(status=NormVersion.Status.DRAFT)
    NormVersion.objects.filter(pk=vo_only.pk).update(adopted_on=date(2026, 1, 1), sectors=["VO"])
    form = RoundForm()
    assert form.initial["version_po"] == new.pk
    assert form.initial["version_sv"] == new.pk
    assert form.initial["version_vo"] == vo_only.pk
    assert latest_adopted_version("PO") == new


def test_the_create_page_preselects_the_latest_version(staff, world, version):
    html = staff.get(reverse("rounds:create")).content.decode()
    assert re.search(rf'<option value="{version.pk}" selected>', html)


def test_schools_are_grouped_by_sector_and_sorted_by_name(staff, world, version):
    SchoolFactory(name="Aardvark College", sector="VO", bestuur=world.bestuur_b)
    SchoolFactory(name="Zonnebloem", bestuur=world.bestuur_a, wijk=world.wijk_a)
    SchoolFactory(name="Appelboom", bestuur=world.bestuur_a, wijk=world.wijk_a)
    html = staff.get(reverse("rounds:create")).content.decode()
    po = html[html.index('id="schools-PO"') : html.index('id="schools-VO"')]
    names = re.findall(r'<label for="school-\d+">([^<]+) <span', po)
    assert names == ["Appelboom", "De Derde", "De Eerste", "De Tweede", "Zonnebloem"]
    assert "Aardvark College" in html[html.index('id="schools-VO"') :]
    for kind in ("sector", "bestuur", "wijk"):
        assert f'id="groups-{kind}"' in html
    assert 'Stichting Alfa <span class="muted">(4 scholen)</span>' in html


def test_a_whole_bestuur_is_invited_without_javascript(staff, world, version):
    staff.post(reverse("rounds:create"), _data(version, invite_besturen=[world.bestuur_a.pk]))
    assert _invited(Round.objects.get()) == ["De Eerste", "De Tweede"]


def test_a_whole_wijk_plus_one_school_is_invited(staff, world, version):
    staff.post(
        reverse("rounds:create"),
        _data(version, invite_wijken=[world.wijk_a.pk], invited_schools=[world.school_b1.pk]),
    )
    assert _invited(Round.objects.get()) == ["De Derde", "De Eerste"]


def test_a_whole_sector_is_invited(staff, world, version):
    SchoolFactory(name="VO-school", sector="VO", bestuur=world.bestuur_b)
    staff.post(
        reverse("rounds:create"), _data(version, version_vo=version.pk, invite_sectors=["VO"])
    )
    assert _invited(Round.objects.get()) == ["VO-school"]


def test_an_unknown_group_is_refused_and_nothing_is_saved(staff, world, version):
    response = staff.post(reverse("rounds:create"), _data(version, invite_besturen=[999999]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("999999 is geen beschikbare keuze") == 2  # summary and next to the group
    assert not Round.objects.exists()


def test_ticked_schools_stay_ticked_when_the_form_comes_back(staff, world, version):
    response = staff.post(
        reverse("rounds:create"),
        _data(version, threshold_percent=150, invited_schools=[world.school_a2.pk]),
    )
    html = response.content.decode()
    assert re.search(
        rf'value="{world.school_a2.pk}" id="school-{world.school_a2.pk}"[^>]* checked', html
    )
    assert not re.search(
        rf'value="{world.school_a1.pk}" id="school-{world.school_a1.pk}"[^>]* checked', html
    )


def test_the_form_page_has_no_inline_script(staff, world, version):
    html = staff.get(reverse("rounds:create")).content.decode()
    assert "js/round-form.js" in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
