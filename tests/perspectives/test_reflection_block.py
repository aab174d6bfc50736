"""The reflection block is one partial (templates/scans/_reflection.html) with one context
builder (selfscan.scans.views.reflection_context) for the wizard step and the comparison page;
each page keeps its own legend and names its own save button in the conflict text, in Dutch
and English, with the other person's name escaped (docs/decisions/0253)."""

import pytest
from django.urls import reverse

from selfscan.scans.services import save_reflection
from selfscan.scans.views import reflection_context
from tests.factories import UserFactory
from tests.perspectives.factories import member, world_team_scan
from tests.perspectives.test_pages import _reflection, _statements, _step_post
from tests.scans.test_issue13_saves import loaded_from_html

pytestmark = pytest.mark.django_db

WIZARD = {
    "nl": ("<legend>Reflectie</legend>", "klik opnieuw op Volgende: dan wordt uw tekst"),
    "en": ("<legend>Reflection</legend>", "click Next again: then your text is saved."),
}
COMPARE = {
    "nl": (
        "<legend>Reflectie van de school</legend>",
        "klik opnieuw op Schoolantwoorden opslaan: dan wordt uw tekst",
    ),
    "en": (
        "<legend>The school's reflection</legend>",
        "click Save the school's answers again: then your text is saved.",
    ),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_wizard_step_shows_its_legend_and_button(client, world, language):
    from tests.scans.factories import world_scan

    scan = world_scan(world)
    theme = scan.norm_version.themes.get(code="T01")
    colleague = UserFactory(
        email="c@example.org", first_name="Carla", last_name="<O'Neil>", schools=[scan.school]
    )
    client.force_login(world.user("school"))
    url = reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"})
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    legend, button = WIZARD[language]
    assert legend in html and button not in html
    page = loaded_from_html(html)
    save_reflection(
        scan=scan, theme_id=theme.pk, by=colleague, reflection="Haar tekst.", expected_version=0
    )
    page["reflection"] = "Mijn tekst."
    html = client.post(url, page, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert legend in html and button in html
    assert "Carla &lt;O&#x27;Neil&gt;" in html and "<O'Neil>" not in html
    assert "Mijn tekst.</textarea>" in html and "Haar tekst." in html
    assert COMPARE[language][1] not in html


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_comparison_shows_its_legend_and_button(client, world, language):
    scan = world_team_scan(world)
    statements = _statements(scan)
    url = reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"})
    anna = member(scan, "a@example.org", "Anna", "<b>Aarts</b>")
    client.force_login(world.user("school"))
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    legend, button = COMPARE[language]
    assert legend in html and button not in html
    client.force_login(anna)
    client.post(url, {**_step_post(statements, ["", "", ""]), **_reflection("Van Anna.")})
    client.force_login(world.user("school"))
    html = client.post(
        url,
        {**_step_post(statements, ["", "", ""]), **_reflection("Mijn eigen tekst.")},
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()
    assert legend in html and button in html
    assert "Anna &lt;b&gt;Aarts&lt;/b&gt;" in html and "<b>Aarts</b>" not in html
    assert WIZARD[language][1] not in html


def test_without_a_conflict_there_is_no_conflict_text(world):
    from django import forms

    scan = world_team_scan(world)
    theme = scan.norm_version.themes.get(code="T01")
    context = reflection_context(
        scan,
        theme,
        forms.Form(),
        conflict=False,
        now=None,
        legend="Reflectie",
        conflict_message="%(who)s x",
    )
    assert context["reflection_conflict_text"] == ""
    assert context["reflection_loaded"] == {"reflection": "", "version": 0}
    assert context["reflection_text"] == ""
