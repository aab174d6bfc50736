"""Control characters in search and filter parameters get a Dutch 400 page from one shared guard
(selfscan.core.middleware), on every URL of the access matrix, never a 500 (PostgreSQL refuses
a NUL character in a query)."""

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from tests.access.matrix import Rule
from tests.access.test_access_matrix import RULES

pytestmark = pytest.mark.django_db

MESSAGE = "Het adres bevat tekens die niet in een zoekopdracht of filter horen"


def _request(client: Any, world: Any, rule: Rule, query: dict[str, str]) -> Any:
    url = reverse(rule.url_name, kwargs=rule.kwargs(world) if rule.kwargs else {})
    data = rule.data(world) if rule.data else {}
    if rule.method == "get":
        return client.get(url, {**data, **query})
    return getattr(client, rule.method)(url, data, query_params=query)


@pytest.mark.parametrize(
    "rule", RULES, ids=[f"{rule.url_name}-{rule.method}-{n}" for n, rule in enumerate(RULES)]
)
def test_every_url_refuses_a_nul_character_in_a_parameter(client: Any, world: Any, rule: Rule):
    client.force_login(world.user("admin"))
    response = _request(client, world, rule, {"q": "\x00"})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_the_matrix_has_every_url():
    assert len(RULES) > 100


@pytest.mark.parametrize("value", ["\x00", "a\x01b", "\x1b[31m", "\x1f"])
def test_the_user_search_answers_a_dutch_400(client: Any, world: Any, value: str):
    client.force_login(world.user("staff"))
    response = client.get(reverse("accounts:user_list"), {"q": value})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_a_control_character_in_a_parameter_name_is_refused_too(client: Any, world: Any):
    client.force_login(world.user("staff"))
    response = client.get(reverse("organisations:school_list") + "?a%00b=1")
    assert response.status_code == 400


def test_anonymous_visitors_get_the_400_page_too(client: Any):
    response = client.get(reverse("accounts:login"), {"next": "/\x00"})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


@pytest.mark.parametrize("value", ["De\tBlauwe", "regel\r\nregel", "Reiger", ""])
def test_tab_and_line_breaks_are_allowed(client: Any, world: Any, value: str):
    client.force_login(world.user("staff"))
    assert client.get(reverse("accounts:user_list"), {"q": value}).status_code == 200
    assert client.get(reverse("organisations:school_list"), {"q": value}).status_code == 200


def test_the_400_page_is_english_for_an_english_user(client: Any, world: Any):
    client.force_login(world.user("staff"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("accounts:user_list"), {"q": "\x00"})
    assert "The address holds characters that do not belong in a search" in (
        response.content.decode()
    )
