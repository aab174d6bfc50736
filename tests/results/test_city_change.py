"""The city dashboard's "since the 0-meting" part when a sector or theme has no earlier figure."""

import datetime as dt

from django.urls import reverse

from selfscan.accounts.models import Role
from selfscan.organisations.models import Sector
from tests.factories import SchoolFactory, UserFactory, make_norm_version
from tests.results.factories import make_round, make_scan


def _rounds_with_a_new_sector_and_theme():
    """A 0-meting for PO only on v1 (two themes), and a current round on v2 for PO and SV where
    v2 adds a third theme: SV has no 0-meting and T03 has no earlier statements."""
    v1 = make_norm_version(key="stadnorm", label="v1", themes=2, statements_per_theme=2)
    v2 = make_norm_version(
        key="stadnorm", label="v2", themes=3, statements_per_theme=2, previous=v1
    )
    zero = make_round(v1, name="Nulmeting", opens_on=dt.date(2024, 10, 1))
    zero.version_sv = None
    zero.save(update_fields=["version_sv"])
    current = make_round(v2, name="Tweede meting", previous=zero)
    po = SchoolFactory(sector=Sector.PO)
    sv = SchoolFactory(sector=Sector.SV, wijk=None)
    make_scan(zero, po, {s.code: "3" for s in v1.statements.all()})
    make_scan(current, po, {s.code: "3" for s in v2.statements.all()})
    make_scan(current, sv, {s.code: "4" for s in v2.statements.all()})
    return current


def test_sector_without_a_0_meting_reads_as_such_on_the_city_dashboard(client, db):
    current = _rounds_with_a_new_sector_and_theme()
    client.force_login(UserFactory(role=Role.STAFF))
    response = client.get(reverse("results:city_dashboard", args=[current.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="sinds-nulmeting"') :]
    sv_row = section[section.index('<th scope="row">SV') :].split("</tr>")[0]
    assert "geen 0-meting" in sv_row
    assert "100,0%" in sv_row  # the current figures are still shown


def test_theme_new_in_this_version_reads_as_new(client, db):
    current = _rounds_with_a_new_sector_and_theme()
    client.force_login(UserFactory(role=Role.STAFF))
    html = client.get(reverse("results:city_dashboard", args=[current.pk])).content.decode()
    section = html[html.index('id="sinds-nulmeting"') :]
    t03 = section[section.index("T03 Thema 3") :].split("</tr>")[0]
    assert "nieuw thema" in t03
    assert "niet vergelijkbaar" not in t03
