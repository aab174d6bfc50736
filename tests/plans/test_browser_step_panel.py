"""The action panel on a wizard step in a real browser, without and with JavaScript
(docs/decisions/0251): a panel button saves the typed answers first, a conflict keeps both the
typed answer and the typed action, and delete asks first. axe needs JavaScript, so it runs in
the JavaScript test. Screenshots in /tmp/leftovers-*.png. The last test covers 0252 and 0253."""

import pytest
from django.urls import reverse

from selfscan.plans.models import ImprovementAction
from selfscan.scans.models import Answer
from selfscan.scans.services import save_answer
from tests.browser.helpers import axe_violations, login
from tests.factories import UserFactory
from tests.perspectives.factories import world_team_scan
from tests.plans.test_step_panel import open_now, statements

SHOTS = "/tmp/leftovers-"  # noqa: S108 - the screenshots the brief asks for, looked at by hand
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def step(live_server, two_rounds):
    return live_server.url + reverse("scans:step", kwargs={"pk": two_rounds.scan.pk, "step": "N01"})


def test_without_javascript_a_panel_button_keeps_what_was_typed(
    browser, live_server, world, two_rounds
):
    open_now(two_rounds)
    first, second = statements(two_rounds)[:2]
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    login(page, live_server.url, world.user("school").email)
    page.goto(step(live_server, two_rounds))

    # typed on the step, not saved, then an action added with the panel's button
    page.check(f"#s{first.pk}-v3")
    page.fill(f"#s{first.pk}-comment", "Getypt zonder JavaScript.")
    page.fill("#reflection-text", "Onze reflectie zonder JavaScript.")
    page.click("details.add-action summary")
    page.fill("#id_new-what", "Het profiel samen doornemen.")
    page.click("details.add-action button[type=submit]")
    page.wait_for_selector("text=De verbeteractie is toegevoegd.")
    assert "/invullen/N01/" in page.url
    assert page.input_value(f"#s{first.pk}-comment") == "Getypt zonder JavaScript."
    assert page.is_checked(f"#s{first.pk}-v3")
    assert page.input_value("#reflection-text") == "Onze reflectie zonder JavaScript."
    assert "Het profiel samen doornemen." in page.locator(".plans-panel").inner_text()
    assert Answer.objects.get(scan=two_rounds.scan, statement=first).comment == (
        "Getypt zonder JavaScript."
    )
    page.screenshot(path=SHOTS + "nojs-added.png", full_page=True)

    # a colleague answers the second statement meanwhile; my typed answer and action stay
    colleague = UserFactory(
        role="school", schools=[world.school_a1], first_name="Carla", last_name="Collega"
    )
    page.check(f"#s{second.pk}-v4")
    page.fill(f"#s{second.pk}-comment", "Mijn getypte toelichting.")
    save_answer(
        scan=two_rounds.scan,
        statement_id=second.pk,
        by=colleague,
        value="1",
        comment="Haar toelichting.",
        expected_version=0,
    )
    page.click("details.add-action summary")
    page.fill("#id_new-what", "Mijn tweede actie.")
    page.click("details.add-action button[type=submit]")
    page.wait_for_selector("text=Iemand anders was u voor.")
    assert page.input_value(f"#s{second.pk}-comment") == "Mijn getypte toelichting."
    assert page.input_value("#id_new-what") == "Mijn tweede actie."
    assert "De verbeteractie is nog niet opgeslagen" in page.content()
    assert ImprovementAction.objects.count() == 1
    page.screenshot(path=SHOTS + "nojs-conflict.png", full_page=True)

    # keep mine and add the action again: both saved
    page.check(f"#s{second.pk}-resolve-mine")
    page.click("details.add-action button[type=submit]")
    page.wait_for_selector("text=De verbeteractie is toegevoegd.")
    answer = Answer.objects.get(scan=two_rounds.scan, statement=second)
    assert (answer.value, answer.comment) == ("4", "Mijn getypte toelichting.")
    assert ImprovementAction.objects.filter(what="Mijn tweede actie.").exists()

    # delete: the confirmation says what goes, then back to the step
    action = ImprovementAction.objects.get(what="Het profiel samen doornemen.")
    page.click(f"#actie-{action.pk} .action-delete button")
    page.wait_for_selector("h1:has-text('Verbeteractie verwijderen?')")
    assert "Het profiel samen doornemen." in page.locator("main").inner_text()
    page.screenshot(path=SHOTS + "delete-confirm.png", full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=is verwijderd.")
    assert "/invullen/N01/" in page.url
    assert not ImprovementAction.objects.filter(pk=action.pk).exists()
    page.screenshot(path=SHOTS + "nojs-deleted.png", full_page=True)
    context.close()


def test_with_javascript_autosave_and_the_panel_still_work(page, live_server, world, two_rounds):
    open_now(two_rounds)
    first = statements(two_rounds)[0]
    login(page, live_server.url, world.user("school").email)
    page.goto(step(live_server, two_rounds))
    page.check(f"#s{first.pk}-v2")
    page.wait_for_selector(f"#s{first.pk}-status:has-text('Opgeslagen')")
    assert Answer.objects.get(scan=two_rounds.scan, statement=first).value == "2"
    page.fill(f"#s{first.pk}-comment", "Met JavaScript getypt.")
    page.click("details.add-action summary")
    page.fill("#id_new-what", "Actie met JavaScript.")
    page.click("details.add-action button[type=submit]")
    page.wait_for_selector("text=De verbeteractie is toegevoegd.")
    assert "/invullen/N01/" in page.url
    assert page.input_value(f"#s{first.pk}-comment") == "Met JavaScript getypt."
    answer = Answer.objects.get(scan=two_rounds.scan, statement=first)
    assert (answer.value, answer.comment) == ("2", "Met JavaScript getypt.")
    action = ImprovementAction.objects.get()
    assert action.what == "Actie met JavaScript."
    # change the action's status from the step
    page.click(f"#actie-{action.pk} summary")
    page.select_option(f"#id_a{action.pk}-status", "bezig")
    page.click(f"#actie-{action.pk} details button[type=submit]")
    page.wait_for_selector("text=De verbeteractie is opgeslagen.")
    action.refresh_from_db()
    assert (action.status, action.version) == ("bezig", 2)
    assert axe_violations(page) == []
    page.screenshot(path=SHOTS + "js-panel.png", full_page=True)
    # the delete confirmation (axe needs JavaScript, so it is checked here)
    page.click(f"#actie-{action.pk} .action-delete button")
    page.wait_for_selector("h1:has-text('Verbeteractie verwijderen?')")
    assert axe_violations(page) == []
    page.click("main form a:has-text('Nee, terug')")
    page.wait_for_selector("#scan-form")
    assert ImprovementAction.objects.filter(pk=action.pk).exists()


def test_the_wizard_of_a_perspectives_round_leads_to_the_comparison(page, live_server, world):
    scan = world_team_scan(world)
    login(page, live_server.url, world.user("school").email)
    page.goto(live_server.url + reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"}))
    page.wait_for_selector(
        "text=De schoolantwoorden legt het team vast op deze vergelijkingspagina."
    )
    assert "/team/vergelijken/T01/" in page.url
    assert axe_violations(page) == []
    page.screenshot(path=SHOTS + "perspectives-redirect.png", full_page=True)


def test_without_javascript_enter_in_an_actions_field_saves_the_change_and_the_comparison_keeps_the_reflection(  # noqa: E501
    browser, live_server, world, two_rounds
):
    """docs/decisions/0252 and 0253 in a real browser: Enter in a one-line field of an
    existing action submits the step with "Volgende"; the change is applied, not dropped.
    The comparison page of a team-perspectives round saves the school's reflection."""
    from selfscan.plans import services
    from selfscan.scans.models import ThemeReflection

    open_now(two_rounds)
    action = services.add_action(
        scan=two_rounds.scan, theme=two_rounds.theme, by=world.user("school"), what="Scholing."
    )
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    login(page, live_server.url, world.user("school").email)
    page.goto(step(live_server, two_rounds))
    page.click(f"#actie-{action.pk} details summary")
    page.fill(f"#id_a{action.pk}-owner_name", "Met Enter")
    page.press(f"#id_a{action.pk}-owner_name", "Enter")
    page.wait_for_selector("text=De verbeteractie is opgeslagen.")
    assert "/invullen/N01/" in page.url
    action.refresh_from_db()
    assert (action.owner_name, action.version) == ("Met Enter", 2)
    page.screenshot(path=SHOTS + "nojs-enter-action.png", full_page=True)

    scan = world_team_scan(world)
    page.goto(
        live_server.url + reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"})
    )
    page.fill("#reflection-text", "Reflectie op de vergelijkingspagina.")
    page.click("#save-button")
    page.wait_for_selector("text=De schoolantwoorden van dit thema zijn opgeslagen.")
    assert page.input_value("#reflection-text") == "Reflectie op de vergelijkingspagina."
    assert ThemeReflection.objects.get(scan=scan).reflection == (
        "Reflectie op de vergelijkingspagina."
    )
    page.screenshot(path=SHOTS + "nojs-compare-reflection.png", full_page=True)
    context.close()
