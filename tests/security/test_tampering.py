"""Tampered forms, ids from another scope, replays and state changes: refused, nothing changed."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from selfscan.audit.models import AuditEvent
from selfscan.norms.models import NormVersion, Statement, Theme
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, Scan, ScanEvent, ThemeReflection
from selfscan.scans.services import save_answer
from selfscan.surveys.models import Category
from tests.factories import make_norm_version
from tests.scans.factories import make_round
from tests.surveys.factories import add_question, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def version() -> NormVersion:
    return make_norm_version(key="tamper", themes=2, statements_per_theme=2, nvt_every=0)


@pytest.fixture
def scan(world: Any, version: NormVersion) -> Scan:
    round_ = make_round(version=version, schools=[world.school_a1, world.school_b1])
    return Scan.objects.get(round=round_, school=world.school_a1)


def _answer_all(scan: Scan, by: Any) -> None:
    for statement in Statement.objects.filter(version=scan.norm_version):
        save_answer(scan=scan, statement_id=statement.pk, by=by, value="3", expected_version=0)


def test_reflection_for_a_theme_of_another_norm_version_is_refused(
    client: Any, world: Any, scan: Scan
) -> None:
    foreign = Theme.objects.filter(version=make_norm_version(key="ander", themes=1)).get()
    client.force_login(world.user("school"))
    response = client.post(
        reverse("scans:save", args=[scan.pk]),
        {"theme": foreign.pk, "reflection": "overgenomen", "version": 0},
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Dit thema hoort niet bij deze zelfscan."
    assert not ThemeReflection.objects.exists()


def test_another_schools_team_cannot_save_into_a_scan(client: Any, world: Any, scan: Scan) -> None:
    statement = Statement.objects.filter(version=scan.norm_version).first()
    client.force_login(world.user("other_school"))
    response = client.post(
        reverse("scans:save", args=[scan.pk]),
        {"statement": statement.pk, "value": "3", "version": 0},
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_wizard_ignores_fields_for_statements_of_another_step_or_scan(
    client: Any, world: Any, scan: Scan
) -> None:
    other = Scan.objects.exclude(pk=scan.pk).get()
    statements = list(
        Statement.objects.filter(version=scan.norm_version).order_by("theme__order", "order")
    )
    first_theme = statements[0].theme
    later = next(s for s in statements if s.theme_id != first_theme.pk)
    client.force_login(world.user("school"))
    data: dict[str, Any] = {
        f"s{s.pk}-version": 0 for s in statements if s.theme_id == first_theme.pk
    }
    data.update({f"s{later.pk}-value": "1", f"s{later.pk}-version": 0, "reflection-version": 0})
    client.post(reverse("scans:step", args=[scan.pk, first_theme.code]), data)
    assert not Answer.objects.filter(statement=later).exists()
    assert not Answer.objects.filter(scan=other).exists()


def test_double_submit_is_one_submission(client: Any, world: Any, scan: Scan) -> None:
    _answer_all(scan, world.user("school"))
    client.force_login(world.user("school"))
    url = reverse("scans:submit", args=[scan.pk])
    client.post(url, {"confirm": "1"})
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "Deze zelfscan was al ingediend." in response.content.decode()
    assert ScanEvent.objects.filter(scan=scan, kind=ScanEvent.Kind.SUBMITTED).count() == 1
    assert AuditEvent.objects.filter(action="scan.submitted").count() == 1


def test_save_after_submit_is_refused_and_reopen_keeps_answers(
    client: Any, world: Any, scan: Scan
) -> None:
    _answer_all(scan, world.user("school"))
    client.force_login(world.user("school"))
    client.post(reverse("scans:submit", args=[scan.pk]), {"confirm": "1"})
    answer = Answer.objects.filter(scan=scan).first()
    response = client.post(
        reverse("scans:save", args=[scan.pk]),
        {"statement": answer.statement_id, "value": "1", "version": answer.version},
    )
    assert response.status_code == 400
    answer.refresh_from_db()
    assert answer.value == "3"
    before = sorted(Answer.objects.filter(scan=scan).values_list("statement_id", "value"))
    client.force_login(world.user("staff"))
    client.post(reverse("rounds:reopen_scan", args=[scan.pk]), {"reason": "Eén fout"})
    scan.refresh_from_db()
    assert scan.status == Scan.Status.IN_PROGRESS
    assert sorted(Answer.objects.filter(scan=scan).values_list("statement_id", "value")) == before


def test_a_round_that_is_open_cannot_be_edited(client: Any, world: Any, scan: Scan) -> None:
    round_ = scan.round
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("rounds:edit", args=[round_.pk]),
        {
            "name": "Overschreven",
            "version_po": round_.version_po_id,
            "opens_on": round_.opens_on.isoformat(),
            "closes_on": (round_.closes_on - timedelta(days=20)).isoformat(),
            "threshold_percent": 10,
            "reminder_days_before": 1,
        },
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.name != "Overschreven"


@pytest.mark.parametrize("name", ["open", "close", "extend", "remind", "publish"])
def test_board_users_cannot_run_round_actions(client: Any, world: Any, scan: Scan, name: str):
    client.force_login(world.user("board"))
    before = Round.objects.values_list("status", "closes_on").get(pk=scan.round_id)
    response = client.post(
        reverse(f"rounds:{name}", args=[scan.round_id]),
        {"closes_on": (timezone.localdate() + timedelta(days=90)).isoformat()},
    )
    assert response.status_code == 403
    assert Round.objects.values_list("status", "closes_on").get(pk=scan.round_id) == before


@pytest.mark.parametrize(
    "url_name,kwargs",
    [
        ("scans:save", "scan"),
        ("scans:submit", "scan"),
        ("accounts:user_reinvite", "user"),
        ("organisations:import_apply", None),
        ("accounts:keep_alive", None),
    ],
)
def test_get_on_a_post_only_endpoint_changes_nothing(
    client: Any, world: Any, scan: Scan, url_name: str, kwargs: str | None
) -> None:
    args = {"scan": [scan.pk], "round": [scan.round_id], "user": [world.user("board").pk]}
    role = "school" if url_name.startswith("scans:") else "staff"
    client.force_login(world.user(role))
    before = AuditEvent.objects.count()
    response = client.get(reverse(url_name, args=args.get(kwargs or "", [])))
    assert response.status_code == 405
    assert AuditEvent.objects.count() == before


def test_round_refuses_a_norm_version_of_another_sector(client: Any, world: Any) -> None:
    vo_only = make_norm_version(key="vo-alleen", themes=1)
    NormVersion.objects.filter(pk=vo_only.pk).update(sectors=["VO"])
    today = timezone.localdate()
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("rounds:create"),
        {
            "name": "Verkeerde sector",
            "version_po": vo_only.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=30)).isoformat(),
            "threshold_percent": 85,
            "reminder_days_before": 7,
        },
    )
    assert response.status_code == 200
    assert "geldt niet voor sector PO" in response.content.decode()
    assert not Round.objects.filter(name="Verkeerde sector").exists()


def test_category_of_another_question_cannot_be_renamed_or_assigned(
    client: Any, world: Any
) -> None:
    survey = make_survey("Bijeenkomst")
    mine = add_question(survey, "wens", "short_text")
    other = add_question(survey, "zorg", "short_text")
    foreign = Category.objects.create(question=other, name="Van een andere vraag")
    client.force_login(world.user("staff"))
    url = reverse("surveys:coding", args=[survey.pk, mine.pk])
    client.post(url, {"action": "rename", "category": foreign.pk, "name": "Gekaapt"})
    foreign.refresh_from_db()
    assert foreign.name == "Van een andere vraag"


def test_a_tampered_open_close_action_changes_nothing(client: Any, world: Any) -> None:
    closed_at = timezone.now() - timedelta(days=1)
    survey = make_survey("Gesloten", closes_at=closed_at)
    client.force_login(world.user("staff"))
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("surveys:open_close", args=[survey.pk]), {"action": "x"}, follow=True
    )
    assert "Het formulier is onvolledig. Laad de pagina opnieuw." in response.content.decode()
    survey.refresh_from_db()
    assert survey.closes_at == closed_at
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("field", ["comment", "nvt_explanation"])
def test_a_nul_character_in_an_autosaved_text_is_refused(
    client: Any, world: Any, scan: Scan, field: str
) -> None:
    statement = Statement.objects.filter(version=scan.norm_version).first()
    Statement.objects.filter(pk=statement.pk).update(nvt_allowed=True)
    client.force_login(world.user("school"))
    response = client.post(
        reverse("scans:save", args=[scan.pk]),
        {"statement": statement.pk, "value": "NVT", "version": 0, field: "a\x00b"},
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Een toelichting mag geen nul-tekens bevatten."
    assert not Answer.objects.exists()


def test_a_nul_character_in_an_autosaved_reflection_is_refused(
    client: Any, world: Any, scan: Scan
) -> None:
    theme = Theme.objects.filter(version=scan.norm_version).first()
    client.force_login(world.user("school"))
    response = client.post(
        reverse("scans:save", args=[scan.pk]),
        {"theme": theme.pk, "reflection": "a\x00b", "version": 0},
    )
    assert response.status_code == 400
    assert not ThemeReflection.objects.exists()


def test_a_tampered_move_direction_changes_nothing(client: Any, world: Any) -> None:
    survey = make_survey("Volgorde")
    first = add_question(survey, "a", "short_text")
    add_question(survey, "b", "short_text")
    client.force_login(world.user("staff"))
    before = AuditEvent.objects.count()
    client.post(
        reverse("surveys:question_move", args=[survey.pk, first.pk]), {"direction": "x\x00"}
    )
    first.refresh_from_db()
    assert first.order == 1
    assert AuditEvent.objects.count() == before
