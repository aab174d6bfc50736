"""The rounds demo, against factory-made ANB versions and a small register."""

import pytest

from selfscan.organisations.models import School, Sector
from selfscan.rounds import demo
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, Scan
from tests.factories import SchoolFactory, _vestigingscode, make_norm_version

# The demo seeds each school's answers with its vestigingscode, so the register has fixed codes:
# codes from the factory's session-wide sequence would depend on how many schools earlier tests
# made, and the VO figure then moved between about 81.8 and 87.6 with the test order.
SECTORS = [Sector.PO] * 50 + [Sector.VO] * 14 + [Sector.SV] * 3


def make_register() -> None:
    for n, sector in enumerate(SECTORS):
        SchoolFactory(
            sector=sector,
            vestigingscode=_vestigingscode(n),
            **({} if sector == Sector.PO else {"wijk": None}),
        )


@pytest.fixture
def register(db):
    make_register()


def test_the_register_is_the_same_whatever_ran_before(db):
    make_register()
    first = sorted(School.objects.values_list("vestigingscode", "sector"))
    School.objects.all().delete()
    SchoolFactory.create_batch(7)  # as an earlier test would: the factory's counter moves on
    School.objects.all().delete()
    make_register()
    assert sorted(School.objects.values_list("vestigingscode", "sector")) == first


@pytest.fixture
def anb(db):
    v2024 = make_norm_version(
        key="anb",
        label="2024",
        themes=12,
        statements_per_theme=5,
        sectors=("PO", "VO"),
        nvt_every=6,
    )
    v2025 = make_norm_version(
        key="anb", label="2025", themes=14, statements_per_theme=5, nvt_every=6, previous=v2024
    )
    return v2024, v2025


def test_without_versions_or_schools_it_logs_and_does_nothing(db):
    lines: list[str] = []
    assert demo.load(lines.append) == []
    assert Round.objects.count() == 0
    assert any("ontbreekt" in line for line in lines)


def test_zero_measurement_is_published_and_near_the_real_indicators(register, anb):
    lines: list[str] = []
    demo.load(lines.append)
    zero = Round.objects.get(name=demo.ZERO_NAME)
    assert zero.status == Round.Status.PUBLISHED
    assert zero.version_po == anb[0] and zero.version_sv is None
    scans = Scan.objects.filter(round=zero)
    assert scans.count() == 64  # PO and VO only
    assert scans.filter(status=Scan.Status.SUBMITTED).count() >= 61  # nearly all
    figures = demo.indicators(zero)
    assert abs(figures["PO"]["meets_pct"] - 82.2) < 3
    assert abs(figures["PO"]["sufficient_pct"] - 90.4) < 2
    assert abs(figures["VO"]["meets_pct"] - 61.5) < 8  # 13 or 14 schools: steps of ~7.7
    assert abs(figures["VO"]["sufficient_pct"] - 83.6) < 4  # 13 schools, fixed register: 81.8


def test_open_round_has_a_mix_and_a_team_login(register, anb):
    logins = demo.load(lambda line: None)
    open_round = Round.objects.get(name=demo.OPEN_NAME)
    assert open_round.status == Round.Status.OPEN
    statuses = set(Scan.objects.filter(round=open_round).values_list("status", flat=True))
    assert statuses == {"niet_gestart", "bezig", "ingediend"}
    assert set(Scan.objects.filter(round=open_round).values_list("sector", flat=True)) == {
        "PO",
        "VO",
        "SV",
    }
    assert [login.email for login in logins] == [demo.TEAM_EMAIL]


def test_demo_is_idempotent_and_deterministic(register, anb):
    demo.load(lambda line: None)
    first = sorted(
        Answer.objects.values_list(
            "scan__school__vestigingscode", "statement__code", "scan__round__name", "value"
        )
    )
    demo.load(lambda line: None)
    second = sorted(
        Answer.objects.values_list(
            "scan__school__vestigingscode", "statement__code", "scan__round__name", "value"
        )
    )
    assert first == second
    assert Round.objects.count() == 2
