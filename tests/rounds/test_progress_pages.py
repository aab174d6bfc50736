"""The progress page shows one page of schools at a time; counts, filters, search and the
export still cover every school (issue 18)."""

import re
from typing import Any

import pytest
from django.urls import reverse

from selfscan.rounds.views import PROGRESS_PAGE_SIZE
from tests.factories import SchoolFactory, make_norm_version
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db


def test_a_large_round_is_paged_and_search_and_export_cover_every_school(client, world):
    version = make_norm_version(key="pages", themes=1, statements_per_theme=2, nvt_every=0)
    schools = [SchoolFactory(name=f"Pagina school {i:03d}") for i in range(PROGRESS_PAGE_SIZE + 5)]
    round_ = make_round(version=version, schools=schools)
    client.force_login(world.user("staff"))
    url = reverse("rounds:progress", kwargs={"pk": round_.pk})
    first = client.get(url).content.decode()
    assert first.count("Pagina school ") == PROGRESS_PAGE_SIZE
    assert "Pagina 1 van 2" in first and "pagina=2" in first
    second = client.get(url, {"pagina": 2}).content.decode()
    assert second.count("Pagina school ") == 5
    last = f"Pagina school {PROGRESS_PAGE_SIZE + 4:03d}"
    assert last in second
    # the search looks through every school, not only the first page
    found = client.get(url, {"q": last[7:]}).content.decode()
    assert found.count("Pagina school ") == 1 and "Pagina 1 van" not in found
    export = client.get(
        reverse("rounds:progress_export", kwargs={"pk": round_.pk, "file_format": "csv"})
    )
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert body.decode("utf-8-sig", errors="replace").count("Pagina school ") == len(schools)


@pytest.fixture
def paged(monkeypatch, world):
    """Pages of 4 schools; 11 "Lindeschool"s (4 + 4 + 3 bezig), 3 "Eikschool"s, one ingediend
    Lindeschool and one not started, all in bestuur A."""
    from selfscan.rounds import views
    from selfscan.scans.models import Scan

    monkeypatch.setattr(views, "PROGRESS_PAGE_SIZE", 4)
    version = make_norm_version(key="paged", themes=1, statements_per_theme=2, nvt_every=0)
    schools = [
        SchoolFactory(name=f"Lindeschool {i:02d}", bestuur=world.bestuur_a) for i in range(13)
    ]
    schools += [SchoolFactory(name=f"Eikschool {i}", bestuur=world.bestuur_a) for i in range(3)]
    round_ = make_round(version=version, schools=schools)
    scans = Scan.objects.filter(round=round_)
    scans.update(status=Scan.Status.IN_PROGRESS)
    scans.filter(school__name="Lindeschool 11").update(status=Scan.Status.SUBMITTED)
    scans.filter(school__name="Lindeschool 12").update(status=Scan.Status.NOT_STARTED)
    return round_


def _names(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return re.findall(r"<tr><td(?: class=\"no-login\")?>([^<]+)", body)


def test_pager_links_and_jump_form_keep_the_search_and_filters(client, world, paged):
    client.force_login(world.user("staff"))
    url = reverse("rounds:progress", kwargs={"pk": paged.pk})
    params = {"q": "linde", "status": "bezig", "bestuur": world.bestuur_a.pk}
    first = client.get(url, params).content.decode()
    assert _names(first) == [f"Lindeschool {i:02d}" for i in range(4)]
    assert "Pagina 1 van 3 (scholen 1–4 van 11)" in first
    kept = f"q=linde&amp;status=bezig&amp;bestuur={world.bestuur_a.pk}"
    assert f'href="?{kept}&amp;pagina=2">Volgende' in first
    assert f'href="?{kept}&amp;pagina=3">Laatste' in first
    for name, value in params.items():  # "Naar pagina" submits the filters along
        assert f'<input type="hidden" name="{name}" value="{value}">' in first
    last = client.get(url, {**params, "pagina": 3}).content.decode()
    assert _names(last) == ["Lindeschool 08", "Lindeschool 09", "Lindeschool 10"]
    assert f'href="?{kept}&amp;pagina=2">Vorige' in last
    assert f'href="?{kept}&amp;pagina=1">Eerste' in last
    assert "Volgende" not in last
    # the counts per status stay those of every page under the other filters
    assert '<option value="bezig" selected>Bezig (11)</option>' in last


def test_the_pager_does_not_repeat_an_old_page_number(client, world, paged):
    client.force_login(world.user("staff"))
    url = reverse("rounds:progress", kwargs={"pk": paged.pk})
    html = client.get(url, {"q": "school", "pagina": 2}).content.decode()
    assert "pagina=2&amp;pagina" not in html and "pagina=2&amp;q" not in html
    assert 'href="?q=school&amp;pagina=3">Volgende' in html
    assert 'name="pagina" value="2"' not in html.split('class="pager-jump"')[1].split("<label")[0]


@pytest.mark.parametrize(
    ("asked", "shown", "message"),
    [
        ("99", "Lindeschool 12", "Pagina 99 bestaat niet. U ziet pagina 4 van 4."),
        ("0", "Eikschool 0", "Pagina 0 bestaat niet. U ziet pagina 1 van 4."),
        ("-3", "Eikschool 0", "Pagina -3 bestaat niet. U ziet pagina 1 van 4."),
        ("abc", "Eikschool 0", "Pagina abc bestaat niet. U ziet pagina 1 van 4."),
        ("9" * 40, "Lindeschool 12", "Pagina 99999999999999999999 bestaat niet."),
    ],
)
def test_a_page_number_out_of_range_shows_a_page_that_exists_and_says_so(
    client, world, paged, asked, shown, message
):
    client.force_login(world.user("staff"))
    response = client.get(reverse("rounds:progress", kwargs={"pk": paged.pk}), {"pagina": asked})
    assert response.status_code == 200
    html = response.content.decode()
    assert shown in _names(html)
    assert message in html


def test_a_page_number_with_no_schools_at_all_is_not_an_error(client, world, paged):
    client.force_login(world.user("staff"))
    url = reverse("rounds:progress", kwargs={"pk": paged.pk})
    response = client.get(url, {"q": "bestaat niet", "pagina": 5})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geen scholen gevonden." in html
    assert "Pagina 5 bestaat niet. U ziet pagina 1 van 1." in html
    assert 'class="pager"' not in html
    for same in ("1", "01", " 1"):
        assert "bestaat niet" not in client.get(url, {"pagina": same}).content.decode()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_export_covers_every_matching_school_whatever_the_page(
    client, world, paged, file_format
):
    client.force_login(world.user("staff"))
    url = reverse("rounds:progress_export", kwargs={"pk": paged.pk, "file_format": file_format})
    response = client.get(url, {"q": "linde", "status": "bezig", "pagina": 2})
    assert response.status_code == 200
    if file_format == "csv":
        text = response.content.decode("utf-8-sig")
    else:
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(response.content), read_only=True).active
        text = "\n".join(str(row) for row in sheet.iter_rows(values_only=True))
    found = sorted(set(re.findall(r"(?:Lindeschool|Eikschool) \d+", text)))
    assert found == [f"Lindeschool {i:02d}" for i in range(11)]
    # and the page's export links carry the filters but not the page
    page = client.get(
        reverse("rounds:progress", kwargs={"pk": paged.pk}), {"q": "linde", "pagina": 2}
    ).content.decode()
    assert f'export.{file_format}?q=linde"' in page


def test_page_queries_do_not_grow_with_the_number_of_schools(
    client, world, monkeypatch, django_assert_max_num_queries
):
    """Two rounds, 6 and 40 schools, each with team members (who can log in, invited,
    unusable password), paged by 4: the same number of queries, with and without filters."""
    from selfscan.accounts.models import Role
    from selfscan.accounts.services import invite_user
    from selfscan.rounds import views
    from tests.factories import UserFactory

    monkeypatch.setattr(views, "PROGRESS_PAGE_SIZE", 4)
    version = make_norm_version(key="growth", themes=1, statements_per_theme=2, nvt_every=0)

    def make(n: int):
        schools = [SchoolFactory(name=f"Groei {n} school {i:02d}") for i in range(n)]
        for i, school in enumerate(schools):
            UserFactory(role=Role.SCHOOL, schools=[school])
            if i % 2:
                invite_user(
                    email=f"g{n}-{i}@example.org", role=Role.SCHOOL, schools=[school], actor=None
                )
        return make_round(version=version, schools=schools, name=f"Groei {n}")

    client.force_login(world.user("staff"))
    counts: dict[str, list[int]] = {"plain": [], "filtered": []}
    for n in (6, 40):
        url = reverse("rounds:progress", kwargs={"pk": make(n).pk})
        for kind, params in (("plain", {}), ("filtered", {"q": "school", "pagina": 2})):
            with django_assert_max_num_queries(14) as captured:
                response = client.get(url, params)
            first = 0 if kind == "plain" else 4
            assert _names(response.content.decode()) == [
                f"Groei {n} school {i:02d}" for i in range(first, min(n, first + 4))
            ]
            counts[kind].append(len(captured.captured_queries))
    assert counts["plain"][0] == counts["plain"][1]
    assert counts["filtered"][0] == counts["filtered"][1]


def test_the_page_counts_who_can_log_in_as_the_full_list_does(world):
    """`progress_page` decides "nobody can log in" in SQL; `progress` (export, API) in Python
    from the contacts: both agree, for every kind of team member."""
    from django.contrib.auth.hashers import make_password

    from selfscan.accounts.models import Role
    from selfscan.accounts.services import invite_user
    from selfscan.rounds.selectors import progress, progress_page
    from tests.factories import UserFactory

    version = make_norm_version(key="login", themes=1, statements_per_theme=2, nvt_every=0)
    kinds: dict[str, dict[str, Any] | None] = {
        "kan inloggen": {"role": Role.SCHOOL},
        "inactief": {"role": Role.SCHOOL, "is_active": False},
        "geen wachtwoord": {"role": Role.SCHOOL, "password": make_password(None)},
        "leeg wachtwoord": {"role": Role.SCHOOL, "password": ""},
        "bestuur": {"role": Role.BOARD},
        "uitgenodigd": None,
        "niemand": None,
    }
    schools = []
    for name, kind in kinds.items():
        school = SchoolFactory(name=f"Login {name}")
        if name == "uitgenodigd":
            invite_user(email="u@example.org", role=Role.SCHOOL, schools=[school], actor=None)
        elif kind is not None:
            user = UserFactory(schools=[school], role=kind["role"])
            for field, value in kind.items():
                setattr(user, field, value)
            user.save()
        schools.append(school)
    round_ = make_round(version=version, schools=schools)
    staff = world.user("staff")
    full = progress(staff, round_, {"login": "niemand"}, with_contacts=True)
    paged, page = progress_page(
        staff, round_, {"login": "niemand"}, None, per_page=50, with_contacts=True
    )
    expected = sorted(f"Login {n}" for n in kinds if n not in ("kan inloggen",))
    assert sorted(row.scan.school.name for row in full.rows) == expected
    assert sorted(row.scan.school.name for row in page.object_list) == expected
    assert paged.nobody_can_log_in == full.nobody_can_log_in == len(expected)
    assert page.paginator.count == len(expected)
    assert paged.status_counts == full.status_counts
