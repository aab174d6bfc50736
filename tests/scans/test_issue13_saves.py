"""Issue 13: a save compares only what this person changed; reflections have a history; "Enter"
goes forward (the server side of defects 3 to 6)."""

import re

import pytest
from django.urls import reverse

from selfscan.scans.models import Answer, ReflectionChange, ThemeReflection
from selfscan.scans.services import save_answer, save_reflection
from tests.factories import UserFactory


@pytest.fixture
def client_in(client, school_user):
    client.force_login(school_user)
    return client


@pytest.fixture
def colleague(world):
    return UserFactory(
        email="collega@example.org",
        first_name="Carla",
        last_name="Collega",
        schools=[world.school_a1],
    )


def step_url(scan, step):
    return reverse("scans:step", kwargs={"pk": scan.pk, "step": step})


def loaded_page(client, scan, step="T01"):
    """The step form's fields as the page loaded them (what the browser would post back)."""
    return loaded_from_html(client.get(step_url(scan, step)).content.decode())


def test_older_page_does_not_conflict_on_a_statement_this_person_never_touched(
    client_in, scan, statements, colleague
):
    first, second = statements[0], statements[1]
    page = loaded_page(client_in, scan)  # loaded before the colleague answers
    save_answer(scan=scan, statement_id=second.pk, by=colleague, value="2", expected_version=0)
    page[f"s{first.pk}-value"] = "3"  # she answers only the first statement
    response = client_in.post(step_url(scan, "T01"), page)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Answer.objects.get(scan=scan, statement=first).value == "3"
    kept = Answer.objects.get(scan=scan, statement=second)
    assert (kept.value, kept.updated_by) == ("2", colleague)


def test_real_conflict_shows_both_labels_and_their_comment_once(
    client_in, scan, statements, colleague
):
    first = statements[0]
    page = loaded_page(client_in, scan)
    save_answer(
        scan=scan,
        statement_id=first.pk,
        by=colleague,
        value="2",
        comment="Alleen in de onderbouw.",
        expected_version=0,
    )
    page[f"s{first.pk}-value"] = "4"
    html = client_in.post(step_url(scan, "T01"), page).content.decode()
    box = html[html.index(f'id="s{first.pk}-conflict-title"') :]
    box = box[: box.index("</p>")]
    assert "Carla Collega heeft op" in box
    assert "“Matig / in ontwikkeling”" in box and "“2”" not in box
    assert "Hun toelichting: “Alleen in de onderbouw.”" in box
    assert "Uw antwoord: “Goed”." in box
    visible = re.sub(r'<input type="hidden"[^>]*>', "", html)
    assert visible.count("Alleen in de onderbouw.") == 1
    assert visible.count("heeft op") == 1
    assert Answer.objects.get(scan=scan, statement=first).value == "2"  # not overwritten


def test_choosing_mine_after_a_conflict_saves_it(client_in, scan, statements, colleague):
    first = statements[0]
    page = loaded_page(client_in, scan)
    save_answer(scan=scan, statement_id=first.pk, by=colleague, value="2", expected_version=0)
    page[f"s{first.pk}-value"] = "4"
    html = client_in.post(step_url(scan, "T01"), page).content.decode()
    assert "Iemand anders was u voor." in html
    again = loaded_from_html(html)
    again[f"s{first.pk}-resolve"] = "mine"
    assert client_in.post(step_url(scan, "T01"), again).status_code == 302
    assert Answer.objects.get(scan=scan, statement=first).value == "4"


def test_own_autosave_before_next_is_no_conflict(client_in, scan, statements, school_user):
    """Defect 3: the autosave of the reflection (version 0 -> 1) lands before the form posts
    the page's version 0 with the same text: one person, no conflict."""
    theme = statements[0].theme
    page = loaded_page(client_in, scan)
    save_reflection(
        scan=scan,
        theme_id=theme.pk,
        by=school_user,
        reflection="We evalueren te weinig.",
        expected_version=0,
    )
    page["reflection"] = "We evalueren te weinig."
    response = client_in.post(step_url(scan, "T01"), page)
    assert response.status_code == 302, "Iemand anders" in response.content.decode()
    row = ThemeReflection.objects.get(scan=scan, theme=theme)
    assert (row.reflection, row.version) == ("We evalueren te weinig.", 1)


def test_reflection_changed_by_both_is_a_conflict_showing_their_text(
    client_in, scan, statements, colleague
):
    theme = statements[0].theme
    page = loaded_page(client_in, scan)
    save_reflection(
        scan=scan,
        theme_id=theme.pk,
        by=colleague,
        reflection="Haar tekst.",
        expected_version=0,
    )
    page["reflection"] = "Mijn tekst."
    html = client_in.post(step_url(scan, "T01"), page).content.decode()
    assert "Iemand anders heeft de reflectie intussen gewijzigd" in html
    assert "Hun reflectie: “Haar tekst.”" in html
    assert ThemeReflection.objects.get(scan=scan).reflection == "Haar tekst."
    # posting again (the page now builds on her text) saves mine knowingly
    assert client_in.post(step_url(scan, "T01"), loaded_from_html(html)).status_code == 302
    assert ThemeReflection.objects.get(scan=scan).reflection == "Mijn tekst."


def test_reflection_changes_are_in_the_history(client_in, scan, statements, school_user):
    theme = statements[0].theme
    for version, text in enumerate(["Eerste versie.", "Tweede versie."]):
        save_reflection(
            scan=scan,
            theme_id=theme.pk,
            by=school_user,
            reflection=text,
            expected_version=version,
        )
    changes = list(ReflectionChange.objects.order_by("id"))
    assert [(c.old_reflection, c.new_reflection) for c in changes] == [
        ("", "Eerste versie."),
        ("Eerste versie.", "Tweede versie."),
    ]
    assert changes[1].changed_by == school_user
    html = client_in.get(reverse("scans:history", kwargs={"pk": scan.pk})).content.decode()
    assert "Reflecties en verbeteracties" in html
    assert "<td>Eerste versie.</td><td>Tweede versie.</td>" in html
    assert str(school_user) in html


def test_enter_in_a_field_submits_with_volgende_not_vorige(client_in, scan):
    html = client_in.get(step_url(scan, "T02")).content.decode()
    form = html[html.index('<form method="post" class="scan-form"') :]
    first_button = re.search(r"<button[^>]*>[^<]*</button>", form).group(0)
    assert 'type="submit"' in first_button
    assert "wizard_goto_step" not in first_button  # not "Vorige"
    assert ">Volgende<" in first_button


def loaded_from_html(html):
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for name, value in re.findall(r'<textarea [^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        data[name] = value
    for name, value in re.findall(
        r'<input type="radio" (?:id="[^"]*" )?name="([^"]+)" [^>]*value="([^"]*)"[^>]* checked',
        html,
    ):
        data[name] = value
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_changes_to_different_fields_of_one_answer_are_both_kept(
    scan, statements, school_user, colleague
):
    first = statements[0]
    loaded = {"value": "", "comment": "", "nvt_explanation": ""}
    save_answer(
        scan=scan, statement_id=first.pk, by=colleague, value="3", expected_version=0, base=loaded
    )
    result = save_answer(
        scan=scan,
        statement_id=first.pk,
        by=school_user,
        value="",
        comment="Zie het zorgplan.",
        expected_version=0,
        base=loaded,
    )
    assert result.status == "saved"
    answer = Answer.objects.get(scan=scan, statement=first)
    assert (answer.value, answer.comment, answer.version) == ("3", "Zie het zorgplan.", 2)


def test_autosave_conflict_names_both_answers_and_their_comment(
    client_in, scan, statements, colleague
):
    first = statements[0]
    save_answer(
        scan=scan,
        statement_id=first.pk,
        by=colleague,
        value="2",
        comment="Alleen in groep 8.",
        expected_version=0,
    )
    response = client_in.post(
        reverse("scans:save", kwargs={"pk": scan.pk}),
        {
            "statement": first.pk,
            "value": "4",
            "comment": "",
            "version": 0,
            "base_value": "",
            "base_comment": "",
            "base_nvt_explanation": "",
        },
    )
    assert response.status_code == 409
    body = response.json()
    assert "Carla Collega heeft deze stelling op" in body["message"]
    assert "“Matig / in ontwikkeling”" in body["message"]
    assert "Hun toelichting: “Alleen in groep 8.”." in body["message"]
    assert "Uw antwoord: “Goed”." in body["message"]
    assert (body["theirs"]["value"], body["theirs"]["comment"]) == ("2", "Alleen in groep 8.")
