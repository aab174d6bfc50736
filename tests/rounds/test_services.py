from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from selfscan.audit.models import AuditEvent
from selfscan.organisations.models import Sector
from selfscan.rounds.models import Round
from selfscan.rounds.services import (
    RoundError,
    close_round,
    extend_round,
    open_round,
    publish_round,
    save_round,
    version_is_used,
)
from selfscan.scans.models import Scan
from tests.factories import SchoolFactory


def round_data(version, **extra):
    today = timezone.localdate()
    data = {
        "name": "Zelfscan 2025-2026",
        "version_po": version,
        "version_vo": None,
        "version_sv": None,
        "opens_on": today,
        "closes_on": today + timedelta(days=60),
        "threshold_percent": 85,
        "reminder_days_before": 7,
    }
    data.update(extra)
    return data


def test_default_invitation_is_all_active_schools_of_the_chosen_sectors(world, version):
    SchoolFactory(name="Oud", active_to=date(2020, 7, 31))
    SchoolFactory(name="VO-school", sector=Sector.VO)
    round_ = save_round(round_=None, by=world.user("staff"), data=round_data(version), invited=None)
    names = sorted(round_.invited_schools.values_list("name", flat=True))
    assert names == ["De Derde", "De Eerste", "De Tweede"]
    assert round_.threshold_percent == 85
    assert AuditEvent.objects.filter(action="round.created").count() == 1


def test_opening_snapshots_the_register_in_one_scan_per_school(world, version):
    staff = world.user("staff")
    round_ = save_round(round_=None, by=staff, data=round_data(version), invited=None)
    assert not version_is_used(version)
    assert open_round(round_=round_, by=staff) == 3
    scan = Scan.objects.get(round=round_, school=world.school_a1)
    assert (scan.sector, scan.wijk, scan.stadsdeel, scan.bestuur) == (
        "PO",
        world.wijk_a,
        world.stadsdeel,
        world.bestuur_a,
    )
    assert scan.norm_version == version
    # later register changes do not move the snapshot
    world.school_a1.wijk = world.wijk_b
    world.school_a1.save()
    scan.refresh_from_db()
    assert scan.wijk == world.wijk_a
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    assert version_is_used(version)
    assert AuditEvent.objects.filter(action="round.opened").count() == 1


def test_open_twice_and_edit_after_opening_are_refused(world, version):
    staff = world.user("staff")
    round_ = save_round(round_=None, by=staff, data=round_data(version), invited=None)
    open_round(round_=round_, by=staff)
    with pytest.raises(RoundError, match="al geopend"):
        open_round(round_=round_, by=staff)
    with pytest.raises(RoundError, match="in concept"):
        save_round(round_=round_, by=staff, data=round_data(version, name="x"), invited=None)
    assert Scan.objects.filter(round=round_).count() == 3


def test_close_date_before_open_date_is_refused(world, version):
    today = timezone.localdate()
    with pytest.raises(RoundError, match="vóór de openingsdatum"):
        save_round(
            round_=None,
            by=None,
            data=round_data(version, closes_on=today - timedelta(days=1)),
            invited=None,
        )
    assert Round.objects.count() == 0


def test_school_of_a_sector_without_version_cannot_be_invited(world, version):
    vo: Any = SchoolFactory(sector=Sector.VO)
    with pytest.raises(RoundError, match="geen normversie"):
        save_round(round_=None, by=None, data=round_data(version), invited=[vo])


def test_extend_close_publish(world, version):
    staff = world.user("staff")
    round_ = save_round(round_=None, by=staff, data=round_data(version), invited=None)
    open_round(round_=round_, by=staff)
    later = round_.closes_on + timedelta(days=14)
    with pytest.raises(RoundError, match="moet na"):
        extend_round(round_=round_, by=staff, closes_on=round_.closes_on)
    extend_round(round_=round_, by=staff, closes_on=later)
    assert Round.objects.get(pk=round_.pk).closes_on == later
    with pytest.raises(RoundError):
        publish_round(round_=round_, by=staff)
    close_round(round_=round_, by=staff)
    publish_round(round_=round_, by=staff)
    assert Round.objects.get(pk=round_.pk).status == Round.Status.PUBLISHED


def test_a_round_only_opens_with_adopted_norm_versions(world, version):
    from selfscan.norms.models import NormVersion
    from selfscan.rounds.forms import RoundForm

    staff = world.user("staff")
    round_ = save_round(round_=None, by=staff, data=round_data(version), invited=None)
    version.status = NormVersion.Status.DRAFT
    version.save()
    with pytest.raises(RoundError, match="niet vastgesteld"):
        open_round(round_=round_, by=staff)
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT
    assert not Scan.objects.filter(round=round_).exists()
    assert version not in RoundForm().fields["version_po"].queryset
    version.status = NormVersion.Status.ADOPTED
    version.save()
    assert version in RoundForm().fields["version_po"].queryset
    assert open_round(round_=round_, by=staff) == 3
