import pytest
from django.test import Client


@pytest.mark.django_db
def test_post_without_csrf_token_gets_dutch_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/inloggen/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulier verlopen" in html
    assert "beveiligingscode ontbrak of verlopen was" in html
