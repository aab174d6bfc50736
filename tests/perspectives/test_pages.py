"""The team pages through HTTP: own answers without JavaScript, who has finished, the comparison
with the median prefilled, fixing the school answers, and rounds without perspectives."""

import pytest
from django.urls import reverse

from selfscan.perspectives.models import IndividualAnswer, TeamPerspective
from selfscan.scans.models import Answer
from selfscan.scans.progress import applicable_statements
from selfscan.scans.services import save_answer, submit_scan
from tests.perspectives.factories import answer_all, member, world_team_scan
from tests.scans.factories import world_scan

pytestmark = pytest.mark.django_db


def _statements(scan, theme="T01"):
    return [
        s for s in applicable_statements(scan.norm_version_id, scan.sector) if s.theme.code == theme
    ]


def _step_post(statements, values, version=0):
    data = {}
    for st, value in zip(statements, values, strict=True):
        p = f"s{st.pk}"
        data.update(
            {
                f"{p}-value": value,
                f"{p}-comment": "",
                f"{p}-nvt": "",
                f"{p}-version": version,
                f"{p}-loaded-value": "",
                f"{p}-loaded-comment": "",
                f"{p}-loaded-nvt": "",
            }
        )
    return data


def test_overview_of_a_round_without_perspectives_has_no_team_section(client, world):
    client.force_login(world.user("school"))
    page = client.get(reverse("scans:overview", kwargs={"pk": world_scan(world).pk}))
    assert page.status_code == 200
    assert b"team-perspectives" not in page.content


def test_team_pages_of_a_round_without_perspectives_answer_404(client, world):
    client.force_login(world.user("school"))
    page = client.get(reverse("perspectives:team", kwargs={"pk": world_scan(world).pk}))
    assert page.status_code == 404


def test_choosing_a_function_starts_at_the_first_theme(client, world):
    scan = world_team_scan(world)
    anna = member(scan, "anna@example.org", "Anna", "Aarts")
    client.force_login(anna)
    page = client.get(reverse("scans:overview", kwargs={"pk": scan.pk}))
    assert b"team-perspectives" in page.content
    response = client.post(
        reverse("perspectives:start", kwargs={"pk": scan.pk}), {"function": "leerkracht"}
    )
    assert response["Location"] == reverse("perspectives:resume", kwargs={"pk": scan.pk})
    response = client.get(response["Location"])
    assert response["Location"] == reverse(
        "perspectives:step", kwargs={"pk": scan.pk, "step": "T01"}
    )
    assert TeamPerspective.objects.get(user=anna).function == "leerkracht"


def test_a_bad_function_changes_nothing_and_says_why(client, world):
    scan = world_team_scan(world)
    anna = member(scan, "anna@example.org", "Anna", "Aarts")
    client.force_login(anna)
    page = client.post(
        reverse("perspectives:start", kwargs={"pk": scan.pk}), {"function": "x"}, follow=True
    )
    assert "Kies een functie uit de lijst." in page.content.decode()
    assert not TeamPerspective.objects.filter(user=anna).exists()


def test_next_saves_own_answers_without_javascript_and_resumes_there(client, world):
    scan = world_team_scan(world)
    user = world.user("school")
    client.force_login(user)
    statements = _statements(scan)
    response = client.post(
        reverse("perspectives:step", kwargs={"pk": scan.pk, "step": "T01"}),
        _step_post(statements, ["2", "3", "4"]),
    )
    assert response["Location"] == reverse(
        "perspectives:step", kwargs={"pk": scan.pk, "step": "T02"}
    )
    values = dict(
        IndividualAnswer.objects.filter(perspective__user=user).values_list("statement_id", "value")
    )
    assert values == {statements[0].pk: "2", statements[1].pk: "3", statements[2].pk: "4"}
    assert not Answer.objects.filter(scan=scan).exists()
    resumed = client.get(reverse("perspectives:resume", kwargs={"pk": scan.pk}))
    assert resumed["Location"].endswith("/T02/")


def test_autosave_answers_json_with_the_new_version(client, world):
    scan = world_team_scan(world)
    client.force_login(world.user("school"))
    st = _statements(scan)[0]
    response = client.post(
        reverse("perspectives:save", kwargs={"pk": scan.pk}),
        {"statement": st.pk, "value": "3", "version": 0},
    )
    assert response.json()["ok"] and response.json()["version"] == 1
    again = client.post(
        reverse("perspectives:save", kwargs={"pk": scan.pk}),
        {"statement": st.pk, "value": "1", "version": 0},
    )
    assert again.status_code == 409 and again.json()["conflict"]


def test_the_team_page_shows_who_has_finished(client, world):
    scan = world_team_scan(world)
    anna = member(scan, "anna@example.org", "Anna", "Aarts")
    member(scan, "bert@example.org", "Bert", "Bos")
    answer_all(scan, anna, "leerkracht", ["2"])
    client.force_login(world.user("school"))
    text = client.get(reverse("perspectives:team", kwargs={"pk": scan.pk})).content.decode()
    table = text.split('id="team-status"')[1].split("</table>")[0]
    assert "Anna Aarts" in table and "Leerkracht" in table and "ja, op" in table
    assert "Bert Bos" in table and "nog niet begonnen" in table


def test_comparison_flags_disagreement_and_prefills_the_median(client, world):
    scan = world_team_scan(world)
    answer_all(scan, member(scan, "a@example.org", "Anna", "Aarts"), "leerkracht", ["1"])
    answer_all(scan, member(scan, "d@example.org", "Dirk", "Dam"), "directie", ["4"])
    answer_all(scan, member(scan, "o@example.org", "Olga", "Os"), "overig", ["3"])
    client.force_login(world.user("school"))
    text = client.get(
        reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"})
    ).content.decode()
    first = _statements(scan)[0]
    section = text.split(f'id="cmp-{first.pk}"')[1].split("</section>")[0]
    assert "Verschil van mening." in section
    assert "Een deel van het team vindt dit voldoende, een deel niet." in section
    # the median of 1, 3, 4 is 3: proposed, checked, not yet saved
    assert f'id="s{first.pk}-v3" value="3" checked' in section
    assert "nog niet opgeslagen" in section.lower()
    assert "Anna Aarts</strong> (Leerkracht)" in section
    assert not Answer.objects.filter(scan=scan).exists()


def test_saving_the_comparison_fixes_the_school_answers(client, world):
    scan = world_team_scan(world)
    client.force_login(world.user("school"))
    statements = _statements(scan)
    response = client.post(
        reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"}),
        _step_post(statements, ["3", "3", "2"]),
    )
    assert response.status_code == 302
    saved = dict(Answer.objects.filter(scan=scan).values_list("statement_id", "value"))
    assert saved == {statements[0].pk: "3", statements[1].pk: "3", statements[2].pk: "2"}


def test_a_stale_comparison_shows_the_conflict_and_keeps_the_other_answer(client, world):
    scan = world_team_scan(world)
    statements = _statements(scan)
    anna = member(scan, "a@example.org", "Anna", "Aarts")
    client.force_login(anna)
    client.post(
        reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"}),
        _step_post(statements, ["3", "3", "3"]),
    )
    client.force_login(world.user("school"))
    page = client.post(
        reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"}),
        _step_post(statements, ["1", "1", "1"]),
    )
    assert page.status_code == 200
    assert "Niet alles is opgeslagen" in page.content.decode()
    assert set(Answer.objects.filter(scan=scan).values_list("value", flat=True)) == {"3"}


def test_the_plain_wizard_of_a_perspectives_round_leads_to_own_answers_and_the_comparison(
    client, world
):
    """The school answer of a team-perspectives round is fixed on the comparison page: the
    wizard is not a way around it (docs/decisions/0250)."""
    scan = world_team_scan(world)
    client.force_login(world.user("school"))
    start = client.get(reverse("scans:wizard", kwargs={"pk": scan.pk}))
    assert start.status_code == 302
    assert start["Location"] == reverse("perspectives:resume", kwargs={"pk": scan.pk})
    step = client.get(reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"}), follow=True)
    compare_url = reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"})
    assert step.redirect_chain == [(compare_url, 302)]
    assert "De schoolantwoorden legt het team vast op deze vergelijkingspagina." in (
        step.content.decode()
    )


def test_a_wizard_step_posted_in_a_perspectives_round_is_saved_by_the_comparison(client, world):
    """A step form from a tab opened before: 307 keeps the posted answers, the comparison saves
    them (with its conflict check), nothing typed is lost."""
    scan = world_team_scan(world)
    client.force_login(world.user("school"))
    statements = _statements(scan)
    url = reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"})
    response = client.post(url, _step_post(statements, ["3", "4", "2"]))
    compare_url = reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"})
    assert (response.status_code, response["Location"]) == (307, compare_url)
    client.post(compare_url, _step_post(statements, ["3", "4", "2"]))
    assert sorted(Answer.objects.filter(scan=scan).values_list("value", flat=True)) == [
        "2",
        "3",
        "4",
    ]


def test_the_wizard_of_a_round_without_perspectives_is_unchanged(client, world):
    scan = world_scan(world)
    client.force_login(world.user("school"))
    response = client.get(reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"}))
    assert response.status_code == 200


# --- the theme's reflection on the comparison page (docs/decisions/0253) ----------------------


def _reflection(text, loaded="", version=0):
    return {"reflection": text, "reflection-version": version, "reflection-loaded": loaded}


def _stored_reflection(scan, code="T01"):
    from selfscan.scans.models import ThemeReflection

    row = ThemeReflection.objects.filter(scan=scan, theme__code=code).first()
    return (row.reflection, row.version) if row else None


def test_the_comparison_page_saves_the_schools_reflection_and_the_themakaart_shows_it(
    client, world
):
    scan = world_team_scan(world)
    client.force_login(world.user("school"))
    statements = _statements(scan)
    compare_url = reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"})
    page = client.get(compare_url).content.decode()
    assert 'name="reflection"' in page and 'name="reflection-version" value="0"' in page
    response = client.post(
        compare_url,
        {**_step_post(statements, ["3", "3", "2"]), **_reflection("Samen besproken in het team.")},
    )
    assert response.status_code == 302
    assert _stored_reflection(scan) == ("Samen besproken in het team.", 1)
    again = client.get(compare_url).content.decode()
    assert "Samen besproken in het team.</textarea>" in again
    assert 'name="reflection-version" value="1"' in again
    theme = scan.norm_version.themes.get(code="T01")
    client.force_login(world.user("staff"))
    themakaart = client.get(
        reverse("results:themakaart", args=[scan.round_id, scan.school_id, theme.pk])
    )
    assert themakaart.status_code == 200
    assert "Samen besproken in het team." in themakaart.content.decode()
    # the school report shows the themes once the scan is submitted
    for st in _statements(scan, "T02"):
        save_answer(
            scan=scan, statement_id=st.pk, by=world.user("school"), value="3", expected_version=0
        )
    assert submit_scan(scan=scan, by=world.user("school"))[1]
    report = client.get(reverse("results:school_report", args=[scan.round_id, scan.school_id]))
    assert report.status_code == 200
    assert "Samen besproken in het team." in report.content.decode()


def test_a_reflection_from_an_old_wizard_tab_is_kept_through_the_307(client, world):
    """Before this, the comparison ignored the posted reflection: typed text was lost."""
    scan = world_team_scan(world)
    client.force_login(world.user("school"))
    statements = _statements(scan)
    url = reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"})
    response = client.post(
        url,
        {**_step_post(statements, ["3", "4", "2"]), **_reflection("Getypt in een oud tabblad.")},
        follow=True,
    )
    compare_url = reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"})
    assert response.redirect_chain[0] == (compare_url, 307)
    assert _stored_reflection(scan) == ("Getypt in een oud tabblad.", 1)
    assert sorted(Answer.objects.filter(scan=scan).values_list("value", flat=True)) == [
        "2",
        "3",
        "4",
    ]


def test_a_stale_reflection_on_the_comparison_keeps_the_typed_text_and_shows_theirs(client, world):
    scan = world_team_scan(world)
    statements = _statements(scan)
    compare_url = reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"})
    anna = member(scan, "a@example.org", "Anna", "Aarts")
    client.force_login(anna)
    client.post(compare_url, {**_step_post(statements, ["", "", ""]), **_reflection("Van Anna.")})
    client.force_login(world.user("school"))
    page = client.post(
        compare_url,
        {**_step_post(statements, ["", "", ""]), **_reflection("Mijn eigen tekst.")},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Niet alles is opgeslagen" in html and "Hun reflectie:" in html
    assert "Van Anna." in html and "Mijn eigen tekst.</textarea>" in html
    assert 'name="reflection-version" value="1"' in html  # saving again keeps the typed text
    assert _stored_reflection(scan) == ("Van Anna.", 1)
    again = client.post(
        compare_url,
        {
            **_step_post(statements, ["", "", ""]),
            **_reflection("Mijn eigen tekst.", loaded="Van Anna.", version=1),
        },
    )
    assert again.status_code == 302
    assert _stored_reflection(scan) == ("Mijn eigen tekst.", 2)


def test_a_comparison_post_without_a_reflection_field_leaves_the_reflection_alone(client, world):
    scan = world_team_scan(world)
    client.force_login(world.user("school"))
    statements = _statements(scan)
    compare_url = reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"})
    client.post(compare_url, {**_step_post(statements, ["", "", ""]), **_reflection("Blijft.")})
    response = client.post(compare_url, _step_post(statements, ["3", "3", "3"]))
    assert response.status_code == 302
    assert _stored_reflection(scan) == ("Blijft.", 1)
