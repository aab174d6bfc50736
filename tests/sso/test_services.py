"""Which account an OpenID Connect login reaches, without HTTP (selfscan.sso.services)."""

import datetime

import pytest
from django.utils import timezone

from selfscan.accounts import services as account_services
from selfscan.accounts.models import Invitation, Role, User
from selfscan.audit.models import AuditEvent
from selfscan.sso import services
from selfscan.sso.models import Identity

pytestmark = pytest.mark.django_db

PROVIDER = services.Provider(
    slug="school", issuer="https://login.example.org", client_id="c", client_secret="s", label="X"
)


def claims(email: str, sub: str = "sub-1", verified: object = True) -> dict[str, object]:
    return {"sub": sub, "email": email, "email_verified": verified}


def test_links_an_active_account_case_insensitively_and_audits(world):
    user = world.user("school")
    outcome = services.resolve_login(PROVIDER, claims("SCHOOL@Example.ORG"))
    assert outcome == services.LoggedIn(user, linked=True, via_invitation=False)
    identity = Identity.objects.get()
    assert (identity.user, identity.subject, identity.email) == (user, "sub-1", user.email)
    assert list(AuditEvent.objects.values_list("action", flat=True).order_by("pk")) == [
        "sso.gekoppeld",
        "sso.ingelogd",
    ]


def test_a_linked_subject_logs_in_even_after_the_address_changed(world):
    user = world.user("school")
    services.resolve_login(PROVIDER, claims(user.email))
    outcome = services.resolve_login(PROVIDER, claims("nieuw-adres@example.org", verified=False))
    assert outcome == services.LoggedIn(user)
    assert Identity.objects.count() == 1


@pytest.mark.parametrize("verified", [False, None, "false", "nee"])
def test_unverified_address_is_refused(world, verified):
    outcome = services.resolve_login(
        PROVIDER, claims(world.user("school").email, verified=verified)
    )
    assert outcome == services.Refused(services.UNVERIFIED, world.user("school").email)
    assert not Identity.objects.exists()
    assert AuditEvent.objects.get().changes["reden"] == services.UNVERIFIED


def test_verified_as_the_string_true_and_trusted_providers_are_accepted(world):
    assert services.email_is_verified(PROVIDER, {"email_verified": "true"})
    trusted = services.Provider(**{**PROVIDER.__dict__, "trust_email": True})
    assert services.email_is_verified(trusted, {})
    assert not services.email_is_verified(PROVIDER, {})


def test_unknown_address_never_creates_an_account(world):
    before = User.objects.count()
    outcome = services.resolve_login(PROVIDER, claims("vreemde@example.org"))
    assert outcome == services.Refused(services.UNKNOWN, "vreemde@example.org")
    assert User.objects.count() == before
    event = AuditEvent.objects.get(action="sso.geweigerd")
    assert event.actor is None
    assert event.changes["e-mailadres"] == "vreemde@example.org"


def test_missing_subject_or_address_is_refused(world):
    assert services.resolve_login(PROVIDER, {"email": "school@example.org"}).reason == "mislukt"
    assert services.resolve_login(PROVIDER, {"sub": "x"}).reason == services.UNVERIFIED


def test_deactivated_account_is_refused_before_and_after_linking(world):
    user = world.user("school")
    services.resolve_login(PROVIDER, claims(user.email))
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert services.resolve_login(PROVIDER, claims(user.email)).reason == services.INACTIVE
    other = world.user("board")
    User.objects.filter(pk=other.pk).update(is_active=False)
    assert services.resolve_login(PROVIDER, claims(other.email, sub="b")).reason == "gedeactiveerd"


def _invited(world, email: str = "nieuw@example.org") -> User:
    user, _token = account_services.invite_user(
        email=email, role=Role.SCHOOL, schools=[world.school_a1], actor=world.user("staff")
    )
    return user


def test_open_invitation_is_spent_and_the_account_can_log_in_afterwards(world):
    user = _invited(world)
    now = timezone.now()
    outcome = services.resolve_login(
        PROVIDER, {**claims(user.email), "given_name": "Noor", "family_name": "Nieuw"}, now=now
    )
    assert outcome == services.LoggedIn(user, linked=True, via_invitation=True)
    user.refresh_from_db()
    assert user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Noor", "Nieuw")
    assert Invitation.objects.get(user=user).used_at == now
    assert AuditEvent.objects.filter(action="uitnodiging.aanvaard", actor=user).exists()


def test_expired_or_used_invitation_gives_no_access(world):
    user = _invited(world)
    Invitation.objects.filter(user=user).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert services.resolve_login(PROVIDER, claims(user.email)).reason == services.NO_ACCESS
    Invitation.objects.filter(user=user).update(
        expires_at=timezone.now() + datetime.timedelta(days=1), used_at=timezone.now()
    )
    assert services.resolve_login(PROVIDER, claims(user.email)).reason == services.NO_ACCESS
    assert not Identity.objects.exists()


def test_a_second_subject_cannot_take_over_a_linked_account(world):
    user = world.user("school")
    services.resolve_login(PROVIDER, claims(user.email, sub="echte"))
    outcome = services.resolve_login(PROVIDER, claims(user.email, sub="tweede"))
    assert outcome == services.Refused(services.NO_ACCESS, user.email)
    assert list(Identity.objects.values_list("subject", flat=True)) == ["echte"]


def test_password_login_refused_only_for_required_roles_with_providers(world, settings):
    settings.SSO_REQUIRED_ROLES = ["staff"]
    settings.SSO_PROVIDERS = []
    assert not services.password_login_refused(world.user("staff"))
    settings.SSO_PROVIDERS = [PROVIDER.__dict__]
    assert services.password_login_refused(world.user("staff"))
    assert not services.password_login_refused(world.user("school"))


def test_refusals_and_logins_read_well_in_the_audit_log(client, world):
    services.resolve_login(PROVIDER, claims("vreemde@example.org"))
    services.resolve_login(PROVIDER, claims(world.user("school").email))
    client.force_login(world.user("staff"))
    page = client.get("/auditlog/").content.decode()
    for label in (
        "Inloggen met het schoolaccount geweigerd",
        "Schoolaccount gekoppeld",
        "Ingelogd met het schoolaccount",
        "vreemde@example.org",
    ):
        assert label in page
