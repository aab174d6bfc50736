"""Prepare the test provider: tables, an RSA key, the accounts and the client.
Run as `python -m tests.sso.provider.setup` with PROVIDER_DIR, CLIENT_ID, CLIENT_SECRET and
REDIRECT_URI in the environment (tests/sso/conftest.py does)."""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PASSWORD = "provider-wachtwoord"
# (e-mail address, first name, last name): see validator.py for the markers.
ACCOUNTS = [
    ("school@example.org", "", ""),
    ("school@demo.passendonderwijsalmere.nl", "", ""),
    ("onbekend@example.org", "", ""),
    ("adviseur@example.org", "", "unverified"),
    ("anderbestuur@example.org", "", ""),
    ("nonce@example.org", "wrongnonce", ""),
    ("nieuw@example.org", "", ""),
]


def main() -> None:
    directory = Path(os.environ["PROVIDER_DIR"])
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (directory / "oidc.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso.provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for email, first, last in ACCOUNTS:
        User.objects.create_user(
            username=email, email=email, password=PASSWORD, first_name=first, last_name=last
        )
    Application.objects.create(
        name="Zelfscan (test)",
        client_id=os.environ["CLIENT_ID"],
        client_secret=os.environ["CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main()
