"""Log who changed what: each staff action leaves an audit entry naming its actor; survey
answers stay anonymous (no user, address or browser stored, no audit entry)."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from selfscan.accounts.models import Role
from selfscan.audit.models import AuditEvent
from selfscan.imports.models import RoundImport
from selfscan.scans.models import Scan
from selfscan.scans.services import save_answer, submit_scan
from selfscan.surveys.models import Answer as SurveyAnswer
from selfscan.surveys.models import Response
from tests.factories import UserFactory, make_norm_version
from tests.imports.conftest import make_setup, sample_answers, wide_rows
from tests.imports.factories import csv_bytes
from tests.norms.samples import V1
from tests.organisations.duo import Row, duo_file
from tests.scans.factories import make_round
from tests.surveys.factories import add_question, make_survey

pytestmark = pytest.mark.django_db


def _last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("pk")


def test_round_life_cycle_is_logged_with_the_actor(client: Any, world: Any) -> None:
    staff = world.user("staff")
    version = make_norm_version(key="audit", themes=1, statements_per_theme=1)
    round_ = make_round(version=version, schools=[world.school_a1], opened=False)
    client.force_login(staff)
    client.post(reverse("rounds:open", args=[round_.pk]), {"confirm": "open"})
    later = (round_.closes_on + timedelta(days=7)).isoformat()
    client.post(reverse("rounds:extend", args=[round_.pk]), {"closes_on": later})
    scan = Scan.objects.get(round=round_)
    statement = version.statements.get()
    school_user = world.user("school")
    save_answer(scan=scan, statement_id=statement.pk, by=school_user, value="3", expected_version=0)
    submit_scan(scan=scan, by=school_user)
    client.post(reverse("rounds:reopen_scan", args=[scan.pk]), {"reason": "Typfout"})
    client.post(reverse("rounds:close", args=[round_.pk]), {"confirm": "close"})
    client.post(reverse("rounds:publish", args=[round_.pk]), {"confirm": "publish"})
    for action in (
        "round.opened",
        "round.extended",
        "scan.reopened",
        "round.closed",
        "round.published",
    ):
        assert _last(action).actor == staff, action
    assert _last("scan.submitted").actor == school_user
    assert _last("round.extended").changes["closes_on"][1] == later


def test_norm_load_is_logged_with_the_actor(client: Any, world: Any) -> None:
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("norms:upload"), {"bestand": SimpleUploadedFile("v1.yaml", V1.encode())}
    )
    token = response.context["publish_form"].initial["token"]
    client.post(reverse("norms:publish"), {"token": token})
    assert AuditEvent.objects.filter(action__startswith="norm.", actor=world.user("staff")).exists()


def test_register_import_is_logged_with_the_actor(client: Any, world: Any) -> None:
    client.force_login(world.user("staff"))
    content = duo_file([Row(bestuur="41002", code="70AQ00", name="Nieuwkomer")])
    response = client.post(
        reverse("organisations:import"), {"file": SimpleUploadedFile("duo.csv", content)}
    )
    digest = response.context["apply_form"].initial["digest"]
    client.post(reverse("organisations:import_apply"), {"digest": digest})
    assert _last("register.geimporteerd").actor == world.user("staff")


def test_round_import_is_logged_with_the_actor(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # No `world` here: make_setup's BestuurFactory numbers can meet the world's fixed ones.
    setup = make_setup()
    staff = UserFactory(role=Role.STAFF)
    client.force_login(staff)
    content = csv_bytes(wide_rows(setup, sample_answers(setup)))
    with django_capture_on_commit_callbacks(execute=True):  # the jobs, as a worker runs them
        client.post(
            reverse("imports:start"),
            {"round": setup.round.pk, "file": SimpleUploadedFile("0.csv", content), "layout": ""},
        )
    record = RoundImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:apply", args=[record.pk]), {"sha256": record.sha256})
    assert _last("import_round").actor == staff


def test_reinvite_is_logged_with_the_actor(client: Any, world: Any) -> None:
    client.force_login(world.user("staff"))
    target = world.user("board")
    client.post(reverse("accounts:user_reinvite", args=[target.pk]))
    entry = _last("uitnodiging.verstuurd")
    assert entry.actor == world.user("staff") and entry.object_id == str(target.pk)


def test_survey_answers_store_nothing_about_the_respondent(client: Any, world: Any) -> None:
    survey = make_survey("Anoniem", opens_at=timezone.now() - timedelta(days=1))
    question = add_question(survey, "wens", "short_text", required=False)
    client.force_login(world.user("school"))  # even a logged-in visitor stays anonymous
    before = AuditEvent.objects.count()
    client.post(
        reverse("surveys:answer", args=[survey.public_token]),
        {"submission_token": "t" * 30, f"q{question.pk}": "Meer tijd"},
        HTTP_USER_AGENT="Testbrowser/1.0",
        REMOTE_ADDR="203.0.113.9",
    )
    response = Response.objects.get()
    stored = {f.name for f in Response._meta.concrete_fields} | {
        f.name for f in SurveyAnswer._meta.concrete_fields
    }
    assert not stored & {"user", "ip", "ip_address", "user_agent", "created_by", "actor"}
    values = [str(v) for v in Response.objects.values().get().values()]
    values += [str(v) for a in SurveyAnswer.objects.values() for v in a.values()]
    assert not any("203.0.113.9" in v or "Testbrowser" in v or "school@" in v for v in values)
    assert response.answers.count() == 1
    assert AuditEvent.objects.count() == before
