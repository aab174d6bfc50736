"""A 50-school file imported gives the same stored answers and the same indicators at every level
as the same 50 scans entered answer by answer; and the statement-level export of a round imports
into an empty round with identical answers and indicators (round trip)."""

import random

import pandas as pd
import pytest
from django.test import Client

from selfscan.accounts.models import Role
from selfscan.exports.services import build as build_export
from selfscan.imports import selectors, services, writing
from selfscan.organisations.models import Sector
from selfscan.rounds.services import close_round
from selfscan.scans.models import Scan
from tests.factories import (
    BestuurFactory,
    SchoolFactory,
    UserFactory,
    WijkFactory,
    make_norm_version,
)
from tests.imports.factories import make_round
from tests.imports.indicators import enter_scan_through_pages, indicators
from tests.scans.factories import make_round as make_open_round

pytestmark = pytest.mark.django_db

LABELS = {"1": "Onvoldoende", "2": "Matig / in ontwikkeling", "3": "Voldoende", "4": "Goed"}


@pytest.fixture
def fifty():
    version = make_norm_version(themes=4, statements_per_theme=5, nvt_every=3)
    statements = list(version.statements.order_by("theme__order", "order"))
    statements[2].sectors = ["PO"]
    statements[2].save()
    statements[6].sectors = ["VO", "SV"]
    statements[6].save()
    besturen = [BestuurFactory() for _ in range(4)]
    wijken = [WijkFactory(name=f"Stad {i}") for i in range(1, 4)]
    sectors = [Sector.PO] * 35 + [Sector.VO] * 10 + [Sector.SV] * 5
    schools = [
        SchoolFactory(
            sector=sector,
            bestuur=besturen[i % 4],
            wijk=wijken[i % 3] if sector == Sector.PO else None,
        )
        for i, sector in enumerate(sectors)
    ]
    rng = random.Random(2024)
    answers: dict[str, dict[str, tuple[str, str]]] = {}
    for index, school in enumerate(schools):
        strength = rng.random()
        mine = {}
        for statement in statements:
            if school.sector not in statement.sectors:
                continue
            if index % 9 == 4 and rng.random() < 0.2:
                continue  # a few schools left statements open
            if statement.nvt_allowed and rng.random() < 0.15:
                value = "NVT"
            else:
                value = rng.choices("1234", weights=[1 - strength, 1, 2 + strength, 2 * strength])[
                    0
                ]
            comment = rng.choice(["", "", "", "In ontwikkeling, zie jaarplan", "-1 team"])
            mine[statement.code] = (value, comment)
        answers[str(school.vestigingscode)] = mine
    return version, statements, schools, answers


def wide_file(statements, schools, answers, labels=False):
    codes = [s.code for s in statements]
    header = ["vestigingscode", *codes, *[f"{c} toelichting" for c in codes]]
    rows = [header]
    for school in schools:
        mine = answers[school.vestigingscode]
        values = []
        for code in codes:
            value = mine.get(code, ("", ""))[0]
            values.append(
                LABELS.get(value, "n.v.t." if value == "NVT" else "") if labels else value
            )
        comments = [mine.get(code, ("", ""))[1] for code in codes]
        rows.append([school.vestigingscode, *values, *comments])
    return writing.to_csv(rows)


def stored_by_school(round):
    return sorted(
        (vestigingscode, code, value, comment)
        for vestigingscode, code, value, comment in selectors.statement_answers(round)
    )


def enter_all_through_pages(version, schools, answers, name):
    """An open round in which one team member of all the schools fills in every scan through
    the scan pages; then staff close it, as at the end of a real round."""
    round_ = make_open_round(version=version, schools=schools, name=name)
    member = UserFactory(role=Role.SCHOOL, schools=schools)
    client = Client()
    client.force_login(member)
    for scan in Scan.objects.filter(round=round_).select_related("school"):
        enter_scan_through_pages(client, scan, answers[scan.school.vestigingscode])
    return close_round(round_=round_, by=UserFactory(role=Role.STAFF))


def test_fifty_school_import_equals_fifty_scans_entered(fifty):
    version, statements, schools, answers = fifty
    staff = UserFactory(role="staff")
    imported = make_round(schools=schools, po=version, name="geïmporteerd")
    report = services.apply_import(
        round=imported,
        content=wide_file(statements, schools, answers, labels=True),
        file_name="0-meting.csv",
        by=staff,
    )
    assert len(report.schools_to_import) == 50
    entered = enter_all_through_pages(version, schools, answers, "ingevuld")

    assert stored_by_school(imported) == stored_by_school(entered)
    assert len(stored_by_school(imported)) > 500
    statuses = {
        name: sorted(Scan.objects.filter(round=r).values_list("school__vestigingscode", "status"))
        for name, r in [("imported", imported), ("entered", entered)]
    }
    assert statuses["imported"] == statuses["entered"]
    submitted = sum(1 for _code, status in statuses["imported"] if status == "ingediend")
    assert 30 < submitted < 50  # some schools were incomplete and stay not submitted

    from_import, from_entry = indicators(imported), indicators(entered)
    pd.testing.assert_frame_equal(from_import, from_entry)
    norm = from_import[from_import["theme_id"] == from_import["theme_id"].min()]
    levels = set(norm["level"])
    assert {"school", "wijk", "stadsdeel", "bestuur", "sector", "city"} <= levels
    city = norm[norm["level"] == "city"].iloc[0]
    assert (city["invited"], city["submitted"]) == (50, submitted)
    assert 0 < city["meeting"] < submitted  # some schools meet the norm, some do not


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_statement_level_export_imports_into_an_empty_round(fifty, fmt):
    version, _statements, schools, answers = fifty
    source = enter_all_through_pages(version, schools, answers, "bron")
    staff = UserFactory(role=Role.STAFF)
    _name, content = build_export(staff, source, "stellingen", fmt)
    if fmt == "csv":  # the export is formula-safe: the importer undoes the guard
        assert "'-1 team" in content.decode("utf-8-sig")

    target = make_round(schools=schools, po=version, name="doel")
    report = services.apply_import(
        round=target, content=content, file_name=f"export.{fmt}", by=staff
    )
    assert report.layout == "long"
    assert stored_by_school(target) == stored_by_school(source)
    assert any(comment == "-1 team" for *_rest, comment in stored_by_school(target))
    pd.testing.assert_frame_equal(indicators(target), indicators(source))
