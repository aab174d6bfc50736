"""Deleting an improvement action: a confirmation page that says what goes, only for the
school's own team, audit-logged, and not when someone changed the action meanwhile."""

import pytest
from django.urls import reverse

from selfscan.audit.models import AuditEvent
from selfscan.plans import services
from selfscan.plans.models import ImprovementAction


@pytest.fixture
def action(two_rounds, world):
    return services.add_action(
        scan=two_rounds.scan,
        theme=two_rounds.theme,
        by=world.user("school"),
        what="Het ondersteuningsprofiel doornemen.",
        note="In de studiedag.",
    )


def delete_url(action):
    return reverse("plans:delete", kwargs={"pk": action.pk})


def test_the_confirmation_says_what_will_be_deleted_and_deletes_nothing(client, world, action):
    client.force_login(world.user("school"))
    html = client.get(delete_url(action)).content.decode()
    assert "Verbeteractie verwijderen?" in html
    assert "Het ondersteuningsprofiel doornemen." in html and "In de studiedag." in html
    assert "Ja, verwijder “Het ondersteuningsprofiel doornemen.”" in html
    assert ImprovementAction.objects.filter(pk=action.pk).exists()


def test_confirming_deletes_audits_and_returns(client, world, action, two_rounds):
    client.force_login(world.user("school"))
    back = reverse("plans:school", kwargs={"school_id": two_rounds.scan.school_id})
    response = client.post(delete_url(action), {"version": 1, "next": back}, follow=True)
    assert response.redirect_chain == [(back, 302)]
    assert "De verbeteractie “Het ondersteuningsprofiel doornemen.” is verwijderd." in (
        response.content.decode()
    )
    assert not ImprovementAction.objects.filter(pk=action.pk).exists()
    event = AuditEvent.objects.get(action="verbeteractie.verwijderd")
    assert (event.object_id, event.actor) == (str(action.pk), world.user("school"))
    assert event.changes["what"] == ["Het ondersteuningsprofiel doornemen.", None]


def test_an_action_changed_meanwhile_is_not_deleted(client, world, action):
    services.update_action(
        action=action, by=world.user("school"), expected_version=1, what="Nieuwe tekst."
    )
    client.force_login(world.user("school"))
    response = client.post(delete_url(action), {"version": 1})
    html = response.content.decode()
    assert response.status_code == 200
    assert "intussen gewijzigd; er is niets verwijderd" in html and "Nieuwe tekst." in html
    assert 'name="version" value="2"' in html  # confirming again deletes what is shown now
    assert ImprovementAction.objects.filter(pk=action.pk).exists()
    assert not AuditEvent.objects.filter(action="verbeteractie.verwijderd").exists()


def test_a_bad_version_says_why_and_deletes_nothing(client, world, action):
    client.force_login(world.user("school"))
    html = client.post(delete_url(action), {"version": "x"}).content.decode()
    assert "Het formulier is onvolledig. Laad de pagina opnieuw." in html
    assert ImprovementAction.objects.filter(pk=action.pk).exists()


def test_board_and_another_school_cannot_delete(client, world, action):
    for role, status in (("board", 403), ("other_school", 404), ("adviser", 403)):
        client.force_login(world.user(role))
        assert client.post(delete_url(action), {"version": 1}).status_code == status
    assert ImprovementAction.objects.filter(pk=action.pk).exists()


def test_the_themakaart_and_action_page_link_to_the_confirmation(client, world, action, two_rounds):
    client.force_login(world.user("school"))
    page = reverse(
        "plans:theme", kwargs={"scan_id": two_rounds.scan.pk, "theme_id": two_rounds.theme.pk}
    )
    html = client.get(page).content.decode()
    assert f'href="{delete_url(action)}?next=' in html
    client.force_login(world.user("board"))
    assert delete_url(action) not in client.get(page).content.decode()
