"""No URL, export or API shows one team member's answer outside the school's own team.

The members' comments are unique texts. Every outsider (partnership staff, administrator, board
staff of the school's own bestuur and of another, an adviser of the school's wijk, another
school's team) crawls every page reachable from the home page (links and GET forms) and every
perspectives URL, and downloads every export of the round in CSV and XLSX: no text appears.
The school's own team does see them (so the texts are on pages at all)."""

import io
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from selfscan.perspectives.models import TeamPerspective
from selfscan.scans.progress import applicable_statements
from selfscan.scans.services import save_answer, submit_scan
from tests.crawler.crawler import PageParser, get_urls
from tests.perspectives.factories import answer_all, member, world_team_round, world_team_scan

pytestmark = pytest.mark.django_db

SECRETS = [
    "Geheim-Anna: in groep 5 lukt dit niet",
    "Geheim-Dirk: dit staat in het profiel",
    "Geheim-Iris: alleen op papier",
]
OUTSIDERS = ["staff", "admin", "board", "other_board", "adviser", "other_school"]
MAX_PAGES = 300


@pytest.fixture
def team_round(world):
    scan = world_team_scan(world)
    anna = member(scan, "anna@example.org", "Anna", "Aarts")
    dirk = member(scan, "dirk@example.org", "Dirk", "Dam")
    answer_all(scan, anna, "leerkracht", ["1", "2"], comment=SECRETS[0])
    answer_all(scan, dirk, "directie", ["4"], comment=SECRETS[1])
    answer_all(scan, world.user("school"), "ib", ["3", "2"], comment=SECRETS[2])
    user = world.user("school")
    for st in applicable_statements(scan.norm_version_id, scan.sector):
        save_answer(
            scan=scan,
            statement_id=st.pk,
            by=user,
            value="3",
            comment="Het team is het eens geworden.",
            expected_version=0,
        )
    submit_scan(scan=scan, by=user)
    return world_team_round(world)


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheet" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return body.decode("utf-8", errors="replace")


def _crawl(client, seeds: list[str]) -> dict[str, str]:
    """url -> text of every same-site page reachable from `seeds` (links, GET forms)."""
    seen: set[str] = set()
    texts: dict[str, str] = {}
    queue = deque(seeds)
    while queue and len(texts) < MAX_PAGES:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or path.startswith(("/static/", "/beheer/django/", "/account/uitloggen")):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.append(urljoin(url, response["Location"]))
            continue
        if response.status_code != 200:
            continue
        texts[url] = _text(response)
        if "text/html" in response.get("Content-Type", ""):
            parser = PageParser()
            parser.feed(texts[url])
            for href in parser.links:
                target = urljoin(url, href).split("#")[0]
                parts = urlsplit(target)
                if parts.netloc in ("", "testserver"):
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
            for form in parser.forms:
                if form.method == "get":
                    queue.extend(
                        urlsplit(u).path + "?" + urlsplit(u).query for u in get_urls(url, form)
                    )
    return texts


def _exports(client, round_) -> dict[str, str]:
    texts = {}
    for kind in ("scholen", "stellingen"):
        for file_format in ("csv", "xlsx"):
            response = client.post(
                reverse("exports:index"),
                {"round": round_.pk, "kind": kind, "file_format": file_format},
                follow=True,
            )
            texts[f"export {kind}.{file_format}"] = _text(response)
    return texts


def _perspective_urls(world) -> list[str]:
    scan = world_team_scan(world)
    round_ = world_team_round(world)
    return [
        reverse("perspectives:team", kwargs={"pk": scan.pk}),
        reverse("perspectives:resume", kwargs={"pk": scan.pk}),
        reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"}),
        reverse("perspectives:step", kwargs={"pk": scan.pk, "step": "T01"}),
        reverse("perspectives:spread_index"),
        reverse("perspectives:spread", kwargs={"round_pk": round_.pk}),
        reverse("scans:overview", kwargs={"pk": scan.pk}),
        reverse("scans:history", kwargs={"pk": scan.pk}),
    ]


def test_the_own_team_sees_every_members_comment(client, world, team_round):
    client.force_login(world.user("school"))
    scan = world_team_scan(world)
    page = client.get(reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"}))
    text = page.content.decode()
    assert all(secret in text for secret in SECRETS)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_no_page_or_export_shows_an_individual_answer_outside_the_school(
    client, world, team_round, role
):
    client.force_login(world.user(role))
    texts = _crawl(client, ["/", *_perspective_urls(world)])
    texts.update(_exports(client, team_round))
    assert len(texts) > 5  # the crawl did reach pages
    leaks = [
        f"{url}: {secret}" for url, text in texts.items() for secret in SECRETS if secret in text
    ]
    assert leaks == []
    assert TeamPerspective.objects.filter(scan__round=team_round).count() == 3


def test_the_board_sees_the_spread_indicator_without_names(client, world, team_round):
    client.force_login(world.user("board"))
    page = client.get(reverse("perspectives:spread", kwargs={"round_pk": team_round.pk}))
    text = page.content.decode()
    assert world.school_a1.name in text
    assert "Anna" not in text and "Dirk" not in text
    # three finished members, min group size 3: the figures are shown
    assert "Te weinig teamleden" not in text


def test_a_team_below_the_minimum_group_size_shows_no_figure(client, world, team_round):
    team_round.min_group_size = 4
    team_round.save(update_fields=["min_group_size"])
    client.force_login(world.user("staff"))
    page = client.get(reverse("perspectives:spread", kwargs={"round_pk": team_round.pk}))
    text = page.content.decode()
    assert "Te weinig teamleden klaar om iets te tonen." in text
    body = text.split('id="spread-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    assert " van " not in body
