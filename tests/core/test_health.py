from unittest import mock

import pytest
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_health_reports_database_ok(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert "broker" not in body["checks"]


@pytest.mark.django_db
def test_health_answers_503_when_database_fails(client, settings):
    settings.CELERY_BROKER_URL = ""
    with mock.patch("selfscan.core.views._database", side_effect=OperationalError("down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "OperationalError"}


@pytest.mark.django_db
def test_health_checks_broker_when_configured(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with mock.patch("selfscan.core.views._broker", side_effect=ConnectionRefusedError()):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True
