"""Issue 19 item 5, server side: an ended session never costs an answer.

The page's own saves get a JSON 401 (the page keeps the answer and asks to log in again); a step
form posted without a session is kept briefly, once, for the browser that posted it, and shown
again after the login for the person to check."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from django.urls import reverse
from django.utils import timezone

from selfscan.scans.models import Answer, PendingStepPost
from selfscan.scans.views import DRAFT_COOKIE


def step_url(scan, step="T01"):
    return reverse("scans:step", kwargs={"pk": scan.pk, "step": step})


def test_autosave_without_a_session_answers_json_401(client, scan, statements):
    response = client.post(
        reverse("scans:save", kwargs={"pk": scan.pk}),
        {"statement": statements[0].pk, "value": "3", "version": 0},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 401
    assert response.json()["code"] == "session_ended"
    assert "log opnieuw in" in response.json()["message"]
    assert not Answer.objects.exists()


def test_plain_post_to_save_without_a_session_still_goes_to_the_login(client, scan, statements):
    response = client.post(
        reverse("scans:save", kwargs={"pk": scan.pk}),
        {"statement": statements[0].pk, "value": "3", "version": 0},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def post_without_session(client, scan, statements):
    data = {f"s{statements[0].pk}-value": "3", f"s{statements[0].pk}-version": "0"}
    data[f"s{statements[0].pk}-comment"] = "Getypt na het verlopen van de sessie."
    data["reflection"] = "Onze reflectie."
    data["csrfmiddlewaretoken"] = "not kept"
    response = client.post(step_url(scan), data)
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == reverse("accounts:login")
    target = parse_qs(location.query)["next"][0]
    assert target.startswith(step_url(scan) + "?herstel=")
    return target


def test_step_form_posted_without_a_session_is_prefilled_after_login(
    client, scan, statements, school_user
):
    target = post_without_session(client, scan, statements)
    kept = PendingStepPost.objects.get()
    assert "csrfmiddlewaretoken" not in kept.data
    assert target.split("herstel=")[1] not in (kept.token_hash, kept.browser_hash)
    client.force_login(school_user)
    html = client.get(target).content.decode()
    assert "Uw antwoorden van vóór het inloggen staan klaar" in html
    assert "Getypt na het verlopen van de sessie." in html
    assert "Onze reflectie." in html
    assert f'id="s{statements[0].pk}-v3" value="3" checked' in html
    assert not Answer.objects.exists()  # nothing saved before the person checks it
    # used once
    assert not PendingStepPost.objects.exists()
    html = client.get(target, follow=True).content.decode()
    assert "niet meer beschikbaar" in html
    assert "Getypt na het verlopen" not in html


def test_kept_form_is_not_given_to_another_browser(client, scan, statements, school_user):
    target = post_without_session(client, scan, statements)
    client.cookies.pop(DRAFT_COOKIE)
    client.force_login(school_user)
    html = client.get(target, follow=True).content.decode()
    assert "niet meer beschikbaar" in html
    assert "Getypt na het verlopen" not in html


def test_kept_form_is_not_given_to_a_user_of_another_school(client, scan, statements, world):
    target = post_without_session(client, scan, statements)
    client.force_login(world.user("other_school"))
    assert client.get(target).status_code == 404
    assert PendingStepPost.objects.count() == 1  # not used up by someone who cannot see it


def test_kept_form_expires_after_two_hours(client, scan, statements, school_user):
    target = post_without_session(client, scan, statements)
    PendingStepPost.objects.update(created_at=timezone.now() - timedelta(hours=2, minutes=1))
    client.force_login(school_user)
    html = client.get(target, follow=True).content.decode()
    assert "niet meer beschikbaar" in html
    assert "Getypt na het verlopen" not in html
