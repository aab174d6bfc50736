"""The round import (results of earlier rounds) refuses bad files with nothing written."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from selfscan.accounts.models import Role
from selfscan.imports.models import RoundImport
from selfscan.scans.models import Answer
from tests.factories import UserFactory
from tests.imports.conftest import make_setup
from tests.security.test_bad_files import BAD_FILES

pytestmark = pytest.mark.django_db

MIXED = {
    **BAD_FILES,
    "cr-only": ("0-meting.csv", b"vestigingscode;T01.01\r11AA00;3\r"),
    "nul": ("0-meting.csv", b"vestigingscode;T01.01\n11AA00;\x003\n"),
    "huge-field": ("0-meting.csv", b'vestigingscode;T01.01\n11AA00;"' + b"x" * 200_000 + b"\n"),
}


@pytest.mark.parametrize("name,content", MIXED.values(), ids=list(MIXED))
def test_round_import_refuses_a_bad_file(
    client: Any, name: str, content: bytes, django_capture_on_commit_callbacks: Any
):
    # No `world` here: make_setup's BestuurFactory numbers can meet the world's fixed ones.
    setup = make_setup()
    client.force_login(UserFactory(role=Role.STAFF))
    with django_capture_on_commit_callbacks(execute=True):  # the dry run, as a worker runs it
        response = client.post(
            reverse("imports:start"),
            {"round": setup.round.pk, "file": SimpleUploadedFile(name, content), "layout": ""},
        )
    if response.status_code == 302:  # kept, then refused by its dry run
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert "Er is niets opgeslagen." in page.content.decode()
        assert RoundImport.objects.get().status == RoundImport.Status.REJECTED
    else:  # refused by the form
        assert response.status_code == 200
    assert not RoundImport.objects.filter(applied_at__isnull=False).exists()
    assert Answer.objects.count() == 0


def test_round_import_with_a_nul_in_a_comment_is_refused(
    client: Any, django_capture_on_commit_callbacks: Any
):
    from tests.imports.conftest import sample_answers, wide_rows
    from tests.imports.factories import csv_bytes

    setup = make_setup()
    rows = wide_rows(setup, sample_answers(setup))
    rows[1][-1] = "Goed\x00besproken"
    client.force_login(UserFactory(role=Role.STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:start"),
            {"round": setup.round.pk, "file": SimpleUploadedFile("0.csv", csv_bytes(rows))},
        )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Het bestand bevat nul-tekens." in page.content.decode()
    record = RoundImport.objects.get()
    assert record.status == RoundImport.Status.REJECTED
    assert bytes(record.content) == b""  # a refused file is not kept
    assert Answer.objects.count() == 0
