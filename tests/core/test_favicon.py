"""Every page names the site's icon, served from our own static files: without it browsers ask
for /favicon.ico, get a 404 and log an error in the console of every first page."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_name_the_icon_and_the_file_exists(client, world, signed_in):
    if signed_in:
        client.force_login(world.user("school"))
    html = client.get(reverse("accounts:login") if not signed_in else "/", follow=True)
    found = re.search(
        r'<link rel="icon" href="/static/([^"]+)" type="image/svg\+xml">', html.content.decode()
    )
    assert found, "no icon link"
    path = finders.find(found.group(1))
    assert path, found.group(1)
    with open(path) as handle:
        assert handle.read().startswith("<svg")
