"""Demo administrator account."""

from selfscan.core.demo import DEMO_PASSWORD, DemoLogin, Log

from .models import Role, User

ADMIN_EMAIL = "beheer@demo.passendonderwijsalmere.nl"


def ensure_user(email: str, role: str, first_name: str, last_name: str, **flags: bool) -> User:
    """Create the demo user once; later runs leave it (and its password) as it is."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "username": email,
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            **flags,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load(log: Log) -> list[DemoLogin]:
    ensure_user(ADMIN_EMAIL, Role.ADMIN, "Demo", "Beheerder", is_staff=True, is_superuser=True)
    log("Beheerdersaccount aanwezig.")
    return [DemoLogin("Beheerder", ADMIN_EMAIL, "alles, ook het Django-beheer")]
