"""`make demo` prints the logins a newcomer needs, not a console full of invitation e-mails."""

import io

import pytest
from django.core.management import call_command

# transaction=True: the invitations are queued on commit, as in a real `make demo`.
pytestmark = pytest.mark.django_db(transaction=True)


def test_load_demo_sends_no_mail_and_ends_with_the_logins(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "Subject:" not in text  # no e-mail printed by the console backend
    assert "e-mails (uitnodigingen) niet verstuurd: dit is een demo." in text
    tail = text[text.index("Demo-logins") :]
    assert "school@demo.passendonderwijsalmere.nl" in tail
    assert "swv@demo.passendonderwijsalmere.nl" in tail
