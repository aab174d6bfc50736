"""Change since the previous round, across norm versions through the lineage."""

import pytest
from django.db.models import Q
from django.urls import reverse

from selfscan.accounts.models import Role
from selfscan.norms.models import Statement
from selfscan.results import lineage
from selfscan.results.scoring import Tally
from selfscan.results.selectors import change_since, statement_mapping
from tests.factories import SchoolFactory, UserFactory, make_norm_version
from tests.results.factories import make_round, make_scan

L = lineage.StatementLink


def test_map_step_marks_comparable_new_and_not_comparable():
    previous = [L(1, "a"), L(2, "b"), L(3, "c")]
    current = [
        L(11, "a", comparable=True, relation="gelijk", derived_from=(1,)),
        L(12, "b2", comparable=False, relation="herformuleerd", derived_from=(2,)),
        L(13, "new", comparable=False, relation="nieuw"),
        L(14, "c", comparable=True),  # same concept key, no explicit derivation
    ]
    result = lineage.map_step(current, previous)
    assert result[11] == lineage.Mapping(lineage.COMPARABLE, (1,))
    assert result[12] == lineage.Mapping(lineage.NOT_COMPARABLE, (2,))
    assert result[13] == lineage.Mapping(lineage.NEW)
    assert result[14] == lineage.Mapping(lineage.COMPARABLE, (3,))


def test_compose_needs_every_step_comparable():
    v3_to_v2 = {
        31: lineage.Mapping(lineage.COMPARABLE, (21,)),
        32: lineage.Mapping(lineage.COMPARABLE, (22,)),
    }
    v2_to_v1 = {
        21: lineage.Mapping(lineage.COMPARABLE, (11,)),
        22: lineage.Mapping(lineage.NOT_COMPARABLE, (12,)),
    }
    chained = lineage.compose([v3_to_v2, v2_to_v1])
    assert chained[31] == lineage.Mapping(lineage.COMPARABLE, (11,))
    assert chained[32].status == lineage.NOT_COMPARABLE


@pytest.fixture
def two_versions(db):
    v1 = make_norm_version(key="lijn", label="v1", themes=1, statements_per_theme=4, nvt_every=0)
    v2 = make_norm_version(
        key="lijn", label="v2", themes=1, statements_per_theme=4, nvt_every=0, previous=v1
    )
    old = {s.code: s for s in v1.statements.all()}
    new = {s.code: s for s in v2.statements.all()}
    # T01.01 gelijk (comparable), T01.02 herformuleerd not comparable, T01.03 new, T01.04 gelijk.
    for code in ("T01.01", "T01.04"):
        Statement.objects.filter(pk=new[code].pk).update(comparable=True, relation="gelijk")
        new[code].derived_from.set([old[code]])
    Statement.objects.filter(pk=new["T01.02"].pk).update(comparable=False, relation="herformuleerd")
    new["T01.02"].derived_from.set([old["T01.02"]])
    Statement.objects.filter(pk=new["T01.03"].pk).update(relation="nieuw", concept_key="lijn-nieuw")
    first = make_round(v1, name="0-meting")
    second = make_round(v2, name="Meting 2", previous=first)
    school = SchoolFactory()
    make_scan(first, school, {"T01.01": "1", "T01.02": "1", "T01.03": "1", "T01.04": "3"})
    make_scan(second, school, {"T01.01": "3", "T01.02": "4", "T01.03": "4", "T01.04": "4"})
    return {"v1": v1, "v2": v2, "first": first, "second": second, "school": school, "new": new}


def test_change_counts_only_comparable_statements(two_versions):
    d = two_versions
    mapping = statement_mapping(d["v2"], d["v1"].pk)
    assert mapping[d["new"]["T01.03"].pk].status == lineage.NEW
    change = change_since(d["second"], d["first"], "PO", Q(scan__school_id=d["school"].pk))
    assert change is not None
    assert (change.earlier_label, change.current_label) == ("v1", "v2")
    theme = change.themes[d["v2"].themes.get().pk]
    # comparable: T01.01 (1 -> 3) and T01.04 (3 -> 4): then 1 of 2, now 2 of 2
    assert (theme.then, theme.now) == (Tally(1, 2, 0), Tally(2, 2, 0))
    assert (theme.comparable, theme.new, theme.not_comparable) == (2, 1, 1)
    assert theme.difference == pytest.approx(0.5)


def test_themakaart_marks_new_and_not_comparable_statements(client, two_versions):
    d = two_versions
    client.force_login(UserFactory(role=Role.SCHOOL, schools=[d["school"]]))
    theme = d["v2"].themes.get()
    html = client.get(
        reverse("results:themakaart", args=[d["second"].pk, d["school"].pk, theme.pk])
    ).content.decode()
    assert "+50,0 procentpunt" in html
    assert ">nieuw<" in html and ">niet vergelijkbaar<" in html
    assert "Onvoldoende" in html  # previous answer of T01.01


def test_city_dashboard_shows_change_since_the_first_round_with_versions(client, two_versions):
    d = two_versions
    client.force_login(UserFactory(role=Role.STAFF))
    html = client.get(reverse("results:city_dashboard", args=[d["second"].pk])).content.decode()
    assert "PO (v1 → v2)" in html
    assert "+50,0 procentpunt" in html
