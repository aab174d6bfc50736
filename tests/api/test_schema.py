"""The OpenAPI schema: the checked-in docs/openapi.yaml is what the code generates (drift
check), and a property-based test (schemathesis) against it finds no server error and no
response that breaks it, with bounded examples."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from selfscan.api.schema import openapi_schema, openapi_yaml
from tests.api.conftest import token_client
from tests.results.world import world_round
from tests.surveys.factories import make_survey

ROOT = Path(__file__).resolve().parents[2]
CHECKS = [not_a_server_error, response_schema_conformance]

schema = schemathesis.openapi.from_dict(openapi_schema())
schema.app = get_wsgi_application()


def test_checked_in_schema_has_not_drifted():
    """Regenerate with: uv run --frozen python manage.py spectacular --file docs/openapi.yaml"""
    checked_in = (ROOT / "docs" / "openapi.yaml").read_bytes()
    assert openapi_yaml() == checked_in, "docs/openapi.yaml is stale: regenerate it"


def test_the_schema_is_served(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response.content == openapi_yaml()


def _headers(user: Any) -> dict[str, str]:
    client = token_client(user)
    return {"Authorization": client.defaults["HTTP_AUTHORIZATION"]}


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Calls go through the WSGI handler, which closes the database connection after each
    request; Django's test client keeps it open the same way (inside the test's transaction)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def staff_headers(world) -> dict[str, str]:
    world_round(world)
    make_survey()
    return _headers(world.user("staff"))


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_random_requests_break_nothing(case, staff_headers):
    response = case.call(headers=staff_headers)
    case.validate_response(response, checks=CHECKS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "board", "school", "other_board", "adviser"])
def test_real_ids_give_responses_that_fit_the_schema(world, role):
    round_ = world_round(world)
    survey = make_survey()
    headers = _headers(world.user(role))
    calls = [
        ("/api/v1/rounds/", {}, {}),
        ("/api/v1/rounds/{id}/", {"id": round_.pk}, {}),
        ("/api/v1/rounds/{round_id}/progress/", {"round_id": round_.pk}, {}),
        ("/api/v1/rounds/{round_id}/results/", {"round_id": round_.pk}, {}),
        ("/api/v1/rounds/{round_id}/results/", {"round_id": round_.pk}, {"level": "wijk"}),
        (
            "/api/v1/rounds/{round_id}/schools/{school_id}/results/",
            {"round_id": round_.pk, "school_id": world.school_a1.pk},
            {},
        ),
        (
            "/api/v1/rounds/{round_id}/besturen/{bestuur_id}/results/",
            {"round_id": round_.pk, "bestuur_id": world.bestuur_a.pk},
            {},
        ),
        ("/api/v1/norm-versions/", {}, {}),
        ("/api/v1/norm-versions/{id}/", {"id": round_.version_po_id}, {}),
        ("/api/v1/norm-versions/{id}/statements/", {"id": round_.version_po_id}, {}),
        ("/api/v1/surveys/", {}, {}),
        ("/api/v1/surveys/{id}/summary/", {"id": survey.pk}, {}),
    ]
    statuses = []
    for path, path_parameters, query in calls:
        case = schema[path]["GET"].Case(path_parameters=path_parameters, query=query)
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)
        statuses.append(response.status_code)
    assert statuses.count(200) >= 5
