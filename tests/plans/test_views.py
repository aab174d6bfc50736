"""The action pages without JavaScript: add, change, conflict, last year's status, overviews,
the themakaart and scan step panels, and the export."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from selfscan.plans import services
from selfscan.plans.models import ImprovementAction
from tests.factories import UserFactory

S = ImprovementAction.Status


def theme_url(two_rounds):
    return reverse(
        "plans:theme", kwargs={"scan_id": two_rounds.scan.pk, "theme_id": two_rounds.theme.pk}
    )


def themakaart_url(two_rounds):
    return reverse(
        "results:themakaart",
        kwargs={
            "round_id": two_rounds.now.pk,
            "school_id": two_rounds.scan.school_id,
            "theme_id": two_rounds.theme.pk,
        },
    )


@pytest.fixture
def team(client, world):
    client.force_login(world.user("school"))
    return client


def _add_url(two_rounds):
    return reverse(
        "plans:add", kwargs={"scan_id": two_rounds.scan.pk, "theme_id": two_rounds.theme.pk}
    )


def _new(two_rounds, world, **values):
    return services.add_action(
        scan=two_rounds.scan,
        theme=two_rounds.theme,
        by=world.user("school"),
        what=values.pop("what", "Scholing."),
        **values,
    )


def test_adding_an_action_on_the_themakaart_returns_there(team, two_rounds, world):
    back = themakaart_url(two_rounds)
    response = team.post(
        _add_url(two_rounds),
        {
            "what": "Scholing rekenen.",
            "owner": world.user("school").pk,
            "due_on": "2026-03-31",
            "status": "gepland",
            "note": "Met de adviseur.",
            "next": back,
        },
    )
    assert response.status_code == 302 and response["Location"] == back
    action = ImprovementAction.objects.get()
    assert (action.what, action.owner, action.due_on) == (
        "Scholing rekenen.",
        world.user("school"),
        dt.date(2026, 3, 31),
    )
    html = team.get(back).content.decode()
    assert "Scholing rekenen." in html and "Met de adviseur." in html


def test_a_dutch_date_is_accepted_too(team, two_rounds):
    team.post(_add_url(two_rounds), {"what": "x", "status": "bezig", "due_on": "31-03-2026"})
    assert ImprovementAction.objects.get().due_on == dt.date(2026, 3, 31)


def test_bad_input_shows_a_dutch_message_keeps_what_was_typed_and_changes_nothing(team, two_rounds):
    response = team.post(
        _add_url(two_rounds),
        {"what": "", "status": "gepland", "note": "Mijn lange notitie", "due_on": "morgen"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Beschrijf wat de verbeteractie is." in html
    assert "Vul een datum in als dag-maand-jaar" in html
    assert "Mijn lange notitie" in html
    assert not ImprovementAction.objects.exists()


def test_an_outside_next_is_ignored(team, two_rounds):
    response = team.post(
        _add_url(two_rounds), {"what": "x", "status": "gepland", "next": "https://evil.example/"}
    )
    assert response["Location"] == theme_url(two_rounds)


def test_a_change_is_saved_with_the_loaded_version(team, two_rounds, world):
    action = _new(two_rounds, world)
    response = team.post(
        reverse("plans:edit", kwargs={"pk": action.pk}),
        {"what": "Scholing, tweede ronde.", "status": "bezig", "version": 1},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.what, action.status, action.version) == ("Scholing, tweede ronde.", "bezig", 2)


def test_two_people_changing_one_action_lose_nothing(team, client, two_rounds, world):
    action = _new(two_rounds, world)
    colleague = UserFactory(
        role="school", schools=[world.school_a1], first_name="Carla", last_name="Collega"
    )
    services.update_action(
        action=action, by=colleague, expected_version=1, note="Haar notitie", status=S.DONE
    )
    url = reverse("plans:edit", kwargs={"pk": action.pk})
    mine = {"what": "Mijn betere tekst.", "status": "bezig", "note": "Mijn notitie", "version": 1}
    response = team.post(url, mine)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders was u voor." in html and "Carla Collega" in html
    assert "Haar notitie" in html and "Mijn notitie" in html and "Mijn betere tekst." in html
    action.refresh_from_db()
    assert (action.note, action.status) == ("Haar notitie", S.DONE)  # nothing overwritten
    # the form holds my text, now based on her version: saving again keeps mine knowingly
    form = re.search(rf'<form method="post" action="{url}".*?</form>', html, re.S).group(0)
    assert 'name="version" value="2"' in form
    assert "Mijn betere tekst." in form
    assert team.post(url, {**mine, "version": 2}).status_code == 302
    action.refresh_from_db()
    assert (action.what, action.note, action.version) == ("Mijn betere tekst.", "Mijn notitie", 3)


def test_last_years_actions_show_on_the_themakaart_and_step_and_their_status_changes(
    team, two_rounds, world
):
    old = services.add_action(
        scan=two_rounds.zero_scan,
        theme=two_rounds.zero_theme,
        by=world.user("school"),
        what="Vorig jaar: profiel doornemen.",
        due_on=dt.date(2025, 3, 1),
    )
    for url in (
        themakaart_url(two_rounds),
        reverse("scans:step", kwargs={"pk": two_rounds.scan.pk, "step": "N01"}),
    ):
        html = team.get(url).content.decode()
        assert "Verbeteracties van vorig jaar (0-meting)" in html
        assert "Vorig jaar: profiel doornemen." in html and "Te laat" in html
        assert f'action="{reverse("plans:edit", kwargs={"pk": old.pk})}"' in html
    # the step's other theme shows none of them
    html = team.get(reverse("scans:step", kwargs={"pk": two_rounds.scan.pk, "step": "T02"}))
    assert "Vorig jaar: profiel doornemen." not in html.content.decode()
    back = themakaart_url(two_rounds)
    response = team.post(
        reverse("plans:edit", kwargs={"pk": old.pk}),
        {"form": "status", "status": "afgerond", "version": 1, "next": back},
    )
    assert response["Location"] == back
    old.refresh_from_db()
    assert (old.status, old.version, old.what) == (S.DONE, 2, "Vorig jaar: profiel doornemen.")


def test_a_stale_status_change_is_a_conflict(team, two_rounds, world):
    old = services.add_action(
        scan=two_rounds.zero_scan, theme=two_rounds.zero_theme, by=world.user("school"), what="x"
    )
    services.update_action(
        action=old, by=world.user("school"), expected_version=1, status=S.DROPPED
    )
    html = team.post(
        reverse("plans:edit", kwargs={"pk": old.pk}),
        {"form": "status", "status": "afgerond", "version": 1},
    ).content.decode()
    assert "Iemand anders was u voor." in html
    old.refresh_from_db()
    assert old.status == S.DROPPED


def test_board_and_adviser_read_but_cannot_change(client, two_rounds, world):
    action = _new(two_rounds, world, what="Alleen lezen.")
    for role in ("board", "adviser", "staff"):
        client.force_login(world.user(role))
        html = client.get(theme_url(two_rounds)).content.decode()
        assert "Alleen lezen." in html
        assert "Verbeteractie toevoegen" not in html
    client.force_login(world.user("board"))
    url = reverse("plans:edit", kwargs={"pk": action.pk})
    assert client.post(url, {"what": "x", "status": "bezig", "version": 1}).status_code == 403
    client.force_login(world.user("other_school"))
    assert client.post(url, {"what": "x", "status": "bezig", "version": 1}).status_code == 404
    action.refresh_from_db()
    assert action.what == "Alleen lezen."


def test_school_overview_marks_overdue_and_board_sees_counts(client, two_rounds, world):
    _new(two_rounds, world, what="Te laat klaar.", due_on=dt.date(2020, 1, 1))
    _new(two_rounds, world, what="Klaar.", status=S.DONE)
    client.force_login(world.user("board"))
    html = client.get(
        reverse("plans:school", kwargs={"school_id": world.school_a1.pk})
    ).content.decode()
    assert "Te laat klaar." in html and 'class="overdue"' in html
    assert "1 verbeteractie is over de datum" in html
    html = client.get(
        reverse("plans:board", kwargs={"bestuur_id": world.bestuur_a.pk})
    ).content.decode()
    assert "N01 Nieuw thema" in html
    assert re.search(r"N01 Nieuw thema</th>(<td class=\"num\">\d+</td>){6}", html)
    assert "De Eerste</a> — 2 verbeteracties" in html


def test_the_action_export_holds_the_users_schools_only_formula_safe(client, two_rounds, world):
    _new(two_rounds, world, what='=HYPERLINK("x")', owner_name="@Piet")
    colleague = UserFactory(role="school", schools=[world.school_a2])
    services.add_action(
        scan=two_rounds.now.scans.get(school=world.school_a2),
        theme=two_rounds.theme,
        by=colleague,
        what="Andere school.",
    )
    client.force_login(world.user("school"))
    response = client.post(
        reverse("exports:index"),
        {"round": two_rounds.now.pk, "kind": "verbeteracties", "file_format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == [
        "vestigingscode",
        "schoolnaam",
        "bestuur",
        "thema",
        "themanaam",
        "verbeteractie",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["verbeteractie"] == '\'=HYPERLINK("x")'
    assert row["eigenaar"] == "'@Piet"
    assert (row["status"], row["te_laat"]) == ("Gepland", "0")
    client.force_login(world.user("board"))
    response = client.post(
        reverse("exports:index"),
        {"round": two_rounds.now.pk, "kind": "verbeteracties", "file_format": "xlsx"},
    )
    assert response.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.max_row == 3  # header and both schools of bestuur A


def test_overview_and_board_pages_take_a_fixed_number_of_queries(
    client, two_rounds, world, django_assert_max_num_queries
):
    for n in range(12):
        _new(two_rounds, world, what=f"Actie {n}", owner_id=world.user("school").pk)
    client.force_login(world.user("board"))
    with django_assert_max_num_queries(12):
        client.get(reverse("plans:school", kwargs={"school_id": world.school_a1.pk}))
    with django_assert_max_num_queries(12):
        client.get(reverse("plans:board", kwargs={"bestuur_id": world.bestuur_a.pk}))
