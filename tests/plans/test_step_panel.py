"""The improvement-actions panel on a wizard step without JavaScript (docs/decisions/0251):
its buttons post the step's form, so the answers typed on the step are saved first (with their
conflict check) and nothing typed is lost; then the action is added, changed or deleted."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from selfscan.plans import services
from selfscan.plans.models import ImprovementAction
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer
from selfscan.scans.progress import applicable_statements
from selfscan.scans.services import save_answer
from tests.factories import UserFactory

S = ImprovementAction.Status


@pytest.fixture
def team(client, world, two_rounds):
    open_now(two_rounds)
    client.force_login(world.user("school"))
    return client


def open_now(two_rounds):
    """The fixture's open round, open today (its dates are fixed in 2025): the step can change."""
    today = dt.date.today()
    Round.objects.filter(pk=two_rounds.now.pk).update(
        opens_on=today - dt.timedelta(days=10), closes_on=today + dt.timedelta(days=30)
    )
    two_rounds.scan.round.refresh_from_db()


def step_url(two_rounds, code="N01"):
    return reverse("scans:step", kwargs={"pk": two_rounds.scan.pk, "step": code})


def statements(two_rounds):
    scan = two_rounds.scan
    return [
        s
        for s in applicable_statements(scan.norm_version_id, scan.sector)
        if s.theme_id == two_rounds.theme.pk
    ]


def typed(two_rounds, value="3", comment="Getypt, nog niet opgeslagen."):
    """The step as a person fills it in without JavaScript (nothing saved yet)."""
    data = {}
    for st in statements(two_rounds):
        p = f"s{st.pk}"
        data.update(
            {
                f"{p}-value": value,
                f"{p}-comment": comment,
                f"{p}-nvt": "",
                f"{p}-version": 0,
                f"{p}-loaded-value": "",
                f"{p}-loaded-comment": "",
                f"{p}-loaded-nvt": "",
            }
        )
    data.update({"reflection": "Onze reflectie.", "reflection-version": 0, "reflection-loaded": ""})
    return data


def saved_answers(two_rounds):
    return sorted(
        Answer.objects.filter(scan=two_rounds.scan).values_list("value", "comment"),
    )


def test_the_panel_on_an_open_step_belongs_to_the_step_form(team, two_rounds, world):
    action = services.add_action(
        scan=two_rounds.scan, theme=two_rounds.theme, by=world.user("school"), what="Scholing."
    )
    html = team.get(step_url(two_rounds)).content.decode()
    panel = html[html.index('class="plans-panel"') :]
    assert "<form" not in panel  # no form of its own: posting it would drop the typed answers
    assert 'form="scan-form" name="verbeteractie" value="toevoegen"' in panel
    assert f'value="wijzigen-{action.pk}"' in panel and f'value="verwijderen-{action.pk}"' in panel
    assert 'name="new-what"' in panel and f'name="a{action.pk}-what"' in panel


def test_adding_an_action_saves_the_typed_answers_first_and_returns_to_the_step(team, two_rounds):
    data = {
        **typed(two_rounds),
        "new-what": "Het profiel doornemen.",
        "new-status": "gepland",
        "verbeteractie": "toevoegen",
    }
    response = team.post(step_url(two_rounds), data)
    assert response.status_code == 302
    assert response["Location"] == step_url(two_rounds) + "#verbeteracties"
    assert saved_answers(two_rounds) == [("3", "Getypt, nog niet opgeslagen.")] * len(
        statements(two_rounds)
    )
    assert ImprovementAction.objects.get().what == "Het profiel doornemen."
    html = team.get(response["Location"]).content.decode()
    assert "De verbeteractie is toegevoegd." in html
    assert "Getypt, nog niet opgeslagen." in html and "Het profiel doornemen." in html
    assert "Onze reflectie." in html


def test_changing_an_action_saves_the_typed_answers_first(team, two_rounds, world):
    action = services.add_action(
        scan=two_rounds.scan, theme=two_rounds.theme, by=world.user("school"), what="Oud."
    )
    p = f"a{action.pk}"
    change = {f"{p}-what": "Nieuw.", f"{p}-status": "bezig", f"{p}-version": 1}
    response = team.post(
        step_url(two_rounds),
        {**typed(two_rounds), **change, "verbeteractie": f"wijzigen-{action.pk}"},
    )
    assert response["Location"] == step_url(two_rounds) + f"#actie-{action.pk}"
    action.refresh_from_db()
    assert (action.what, action.status, action.version) == ("Nieuw.", S.IN_PROGRESS, 2)
    assert {value for value, _ in saved_answers(two_rounds)} == {"3"}


def test_deleting_from_the_step_goes_to_the_confirmation_after_saving(team, two_rounds, world):
    action = services.add_action(
        scan=two_rounds.scan, theme=two_rounds.theme, by=world.user("school"), what="Weg ermee."
    )
    response = team.post(
        step_url(two_rounds), {**typed(two_rounds), "verbeteractie": f"verwijderen-{action.pk}"}
    )
    confirm = reverse("plans:delete", kwargs={"pk": action.pk})
    assert response["Location"].startswith(confirm + "?next=")
    assert {value for value, _ in saved_answers(two_rounds)} == {"3"}
    assert ImprovementAction.objects.filter(pk=action.pk).exists()  # not before confirming


def test_last_years_status_changes_from_the_step_with_the_typed_answers(team, two_rounds, world):
    old = services.add_action(
        scan=two_rounds.zero_scan, theme=two_rounds.zero_theme, by=world.user("school"), what="x"
    )
    response = team.post(
        step_url(two_rounds),
        {
            **typed(two_rounds),
            f"st{old.pk}-status": "afgerond",
            f"st{old.pk}-version": 1,
            "verbeteractie": f"status-{old.pk}",
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.status, old.version) == (S.DONE, 2)
    assert {value for value, _ in saved_answers(two_rounds)} == {"3"}


def test_an_answer_conflict_keeps_the_typed_answers_and_the_action_text_and_saves_nothing(
    team, two_rounds, world
):
    colleague = UserFactory(
        role="school", schools=[world.school_a1], first_name="Carla", last_name="Collega"
    )
    first = statements(two_rounds)[0]
    save_answer(
        scan=two_rounds.scan,
        statement_id=first.pk,
        by=colleague,
        value="1",
        comment="Haar toelichting.",
        expected_version=0,
    )
    data = {
        **typed(two_rounds, value="4", comment="Mijn getypte toelichting."),
        "new-what": "Mijn getypte actie.",
        "new-status": "gepland",
        "verbeteractie": "toevoegen",
    }
    response = team.post(step_url(two_rounds), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders was u voor." in html and "Haar toelichting." in html
    assert "Mijn getypte toelichting." in html  # the typed answers stay in the form
    assert re.search(r'name="new-what"[^>]*>\s*Mijn getypte actie\.', html)  # and the action
    assert "De verbeteractie is nog niet opgeslagen" in html
    assert not ImprovementAction.objects.exists()
    assert Answer.objects.get(scan=two_rounds.scan, statement=first).value == "1"


def test_enter_in_the_add_form_adds_the_action_instead_of_dropping_it(team, two_rounds):
    """Enter in a one-line field submits with the step's default button ("Volgende")."""
    data = {**typed(two_rounds), "new-what": "Met Enter verstuurd.", "new-status": "gepland"}
    response = team.post(step_url(two_rounds), data)
    assert response["Location"] == step_url(two_rounds) + "#verbeteracties"
    assert ImprovementAction.objects.get().what == "Met Enter verstuurd."


def test_the_wizards_own_buttons_still_move_on(team, two_rounds):
    response = team.post(step_url(two_rounds), typed(two_rounds))
    assert response["Location"] == step_url(two_rounds, "T02")
    assert not ImprovementAction.objects.exists()


# --- Enter in an existing action's change fields submits "Volgende" (docs/decisions/0252) ----


def test_enter_in_an_actions_change_fields_applies_the_change_instead_of_dropping_it(
    team, two_rounds, world
):
    action = services.add_action(
        scan=two_rounds.scan, theme=two_rounds.theme, by=world.user("school"), what="Oud."
    )
    p = f"a{action.pk}"
    change = {
        f"{p}-what": "Oud.",
        f"{p}-owner_name": "Met Enter getypt",
        f"{p}-status": "gepland",
        f"{p}-version": 1,
    }
    response = team.post(step_url(two_rounds), {**typed(two_rounds), **change})  # no button
    assert response["Location"] == step_url(two_rounds) + "#verbeteracties"  # stays on the step
    action.refresh_from_db()
    assert (action.owner_name, action.version) == ("Met Enter getypt", 2)
    assert {value for value, _ in saved_answers(two_rounds)} == {"3"}
    html = team.get(response["Location"]).content.decode()
    assert "De verbeteractie is opgeslagen." in html


def test_enter_in_last_years_status_applies_it(team, two_rounds, world):
    old = services.add_action(
        scan=two_rounds.zero_scan, theme=two_rounds.zero_theme, by=world.user("school"), what="x"
    )
    data = {**typed(two_rounds), f"st{old.pk}-status": "afgerond", f"st{old.pk}-version": 1}
    response = team.post(step_url(two_rounds), data)
    assert response["Location"] == step_url(two_rounds) + "#verbeteracties"
    old.refresh_from_db()
    assert (old.status, old.version) == (S.DONE, 2)


def test_a_changed_action_in_conflict_keeps_the_typed_text_and_shows_theirs(
    team, two_rounds, world
):
    action = services.add_action(
        scan=two_rounds.scan, theme=two_rounds.theme, by=world.user("school"), what="Oud."
    )
    services.update_action(
        action=action,
        by=world.user("school"),
        expected_version=1,
        what="Hun versie.",
        owner_id=None,
        owner_name="",
        due_on=None,
        status="gepland",
        note="",
    )
    p = f"a{action.pk}"
    change = {f"{p}-what": "Mijn getypte wijziging.", f"{p}-status": "gepland", f"{p}-version": 1}
    response = team.post(step_url(two_rounds), {**typed(two_rounds), **change})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders was u voor." in html and "Hun versie." in html
    assert re.search(rf'name="{p}-what"[^>]*>\s*Mijn getypte wijziging\.', html)
    action.refresh_from_db()
    assert (action.what, action.version) == ("Hun versie.", 2)
    assert {value for value, _ in saved_answers(two_rounds)} == {"3"}


def test_unchanged_action_fields_do_not_stop_volgende(team, two_rounds, world):
    action = services.add_action(
        scan=two_rounds.scan, theme=two_rounds.theme, by=world.user("school"), what="Oud."
    )
    p = f"a{action.pk}"
    same = {
        f"{p}-what": "Oud.",
        f"{p}-owner": "",
        f"{p}-owner_name": "",
        f"{p}-due_on": "",
        f"{p}-status": "gepland",
        f"{p}-note": "",
        f"{p}-version": 1,
    }
    response = team.post(step_url(two_rounds), {**typed(two_rounds), **same})
    assert response["Location"] == step_url(two_rounds, "T02")
    action.refresh_from_db()
    assert action.version == 1
