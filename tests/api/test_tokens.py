"""Personal API tokens: only a hash stored, shown once, expiry, revocation, last used, audited
once per day, throttled; the account page to make and revoke them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

from selfscan.accounts.models import Role
from selfscan.api import services, tokens
from selfscan.api.models import ApiToken, ApiTokenDay
from selfscan.audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROUNDS = "/api/v1/rounds/"


def bearer(text: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {text}")


def test_only_a_hash_is_stored():
    user = UserFactory(role=Role.STAFF)
    token, text = services.create_token(user=user, name="Power BI", days=90)
    stored = ApiToken.objects.get(pk=token.pk)
    assert text.startswith("zs_" + stored.prefix + "_")
    assert text not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.key_hash == tokens.hash_token(text)
    assert timedelta(days=89) < stored.expires_at - timezone.now() <= timedelta(days=90)
    assert AuditEvent.objects.filter(action="api_token.aangemaakt", object_id=str(token.pk))


def test_unknown_odd_expired_revoked_and_deactivated_tokens_are_refused():
    user = UserFactory(role=Role.STAFF)
    token, text = services.create_token(user=user, name="a", days=30)
    assert bearer(text).get(ROUNDS).status_code == 200
    for bad in (
        "",
        "zs_",
        "zs_12345678_",
        "nonsense",
        text[:-1] + ("x" if text[-1] != "x" else "y"),
    ):
        response = bearer(bad).get(ROUNDS)
        assert response.status_code == 401, bad
    assert bearer(text).get(ROUNDS).status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(text).get(ROUNDS)
    assert response.status_code == 401
    assert "verlopen" in response.json()["detail"]

    token2, text2 = services.create_token(user=user, name="b", days=30)
    services.revoke_token(user=user, token=token2)
    assert bearer(text2).get(ROUNDS).status_code == 401

    _token3, text3 = services.create_token(user=user, name="c", days=30)
    user.is_active = False
    user.save()
    assert bearer(text3).get(ROUNDS).status_code == 401


def test_no_token_answers_401_with_a_bearer_challenge():
    response = Client().get(ROUNDS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_use_is_counted_and_audited_once_per_day():
    user = UserFactory(role=Role.BOARD)
    token, text = services.create_token(user=user, name="a", days=30)
    client = bearer(text)
    for _ in range(3):
        assert client.get(ROUNDS).status_code == 200
    day = ApiTokenDay.objects.get(token=token)
    assert day.requests == 3
    assert day.day == timezone.localdate()
    events = AuditEvent.objects.filter(action="api_token.gebruikt", object_id=str(token.pk))
    assert events.count() == 1
    assert events.get().changes == {"dag": timezone.localdate().isoformat()}
    token.refresh_from_db()
    assert token.last_used_at is not None

    # the next day: a new row and a new audit event
    ApiTokenDay.objects.filter(pk=day.pk).update(day=day.day - timedelta(days=1))
    assert client.get(ROUNDS).status_code == 200
    assert events.count() == 2
    assert ApiTokenDay.objects.filter(token=token).count() == 2


def test_requests_are_throttled():
    user = UserFactory(role=Role.STAFF)
    _token, text = services.create_token(user=user, name="a", days=30)
    client = bearer(text)
    rates = {"user": "3/minute", "anon": "3/minute"}
    original = UserRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = rates
    try:
        statuses = [client.get(ROUNDS).status_code for _ in range(4)]
    finally:
        UserRateThrottle.THROTTLE_RATES = original
    assert statuses == [200, 200, 200, 429]
    assert [UserRateThrottle] == api_settings.DEFAULT_THROTTLE_CLASSES


def test_token_page_shows_a_new_token_once_and_revokes_it(client):
    user = UserFactory(role=Role.SCHOOL)
    client.force_login(user)
    url = reverse("api_tokens:list")
    response = client.post(url, {"name": "Excel", "days": "30"})
    assert response.status_code == 302
    response = client.get(url)
    assert response["Cache-Control"] == "no-store"
    text = response.context["new_token"]
    assert text in response.content.decode()
    token = ApiToken.objects.get(user_id=user.pk)
    assert token.name == "Excel"
    # shown once: the list page does not show it again
    again = client.get(url).content.decode()
    assert text not in again
    assert f"zs_{token.prefix}" in again

    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.ingetrokken", object_id=str(token.pk))
    assert bearer(text).get(ROUNDS).status_code == 401


def test_bad_input_gets_a_dutch_message_and_makes_nothing(client):
    user = UserFactory(role=Role.SCHOOL)
    client.force_login(user)
    url = reverse("api_tokens:list")
    for data in ({"name": "  ", "days": "30"}, {"name": "x", "days": "7"}, {}):
        response = client.post(url, data)
        assert response.status_code == 400
        assert "Controleer het formulier" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_nobody_sees_or_revokes_another_users_token(client):
    owner = UserFactory(role=Role.STAFF)
    token, _text = services.create_token(user=owner, name="Geheim", days=30)
    other = UserFactory(role=Role.ADMIN, is_superuser=True)
    client.force_login(other)
    assert "Geheim" not in client.get(reverse("api_tokens:list")).content.decode()
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
