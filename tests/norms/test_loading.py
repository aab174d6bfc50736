"""Loading: idempotent, atomic, frozen once used, replaceable before, and chains of versions."""

import datetime

import pytest
from django.core.management import call_command

from selfscan.audit.models import AuditEvent
from selfscan.norms import demo
from selfscan.norms.models import NormVersion, Statement
from selfscan.norms.services import Action, load_norm_files, validate_norm_files
from selfscan.rounds.models import Round
from tests.norms.samples import V1, V2, load_shipped, shipped, source, v3_text

pytestmark = pytest.mark.django_db


def test_loading_the_same_files_twice_changes_nothing(capsys):
    call_command("load_norm", "norms/anb-2024.yaml", "norms/anb-2025.yaml")
    ids = list(NormVersion.objects.values_list("pk", "loaded_at"))
    statements = list(Statement.objects.values_list("pk", flat=True))
    events = AuditEvent.objects.count()
    capsys.readouterr()

    call_command("load_norm", "norms/anb-2024.yaml", "norms/anb-2025.yaml")
    out = capsys.readouterr().out
    assert out.count("ongewijzigd") == 2
    assert list(NormVersion.objects.values_list("pk", "loaded_at")) == ids
    assert list(Statement.objects.values_list("pk", flat=True)) == statements
    assert AuditEvent.objects.count() == events


def test_dry_run_writes_nothing(capsys):
    call_command("load_norm", "norms/anb-2024.yaml", "norms/anb-2025.yaml", "--dry-run")
    out = capsys.readouterr().out
    assert "anb 2025 zou nieuw worden geladen (14 thema's, 69 stellingen)" in out
    assert "niets opgeslagen" in out
    assert not NormVersion.objects.exists()


def test_loading_is_audited_with_the_actor(world):
    staff = world.user("staff")
    report = load_norm_files([source(V1, "v1.yaml")], actor=staff)
    event = AuditEvent.objects.get(action="norm.geladen")
    assert event.actor == staff
    assert event.object_id == str(report.versions[0].pk)
    assert event.changes["stellingen"] == 4


def test_an_unused_version_may_be_replaced(testnorm_v1):
    changed = V1.replace("De school heeft een profiel.", "De school heeft een actueel profiel.")
    report = load_norm_files([source(changed, "v1.yaml")])
    assert report.errors == []
    assert report.plans[0].action == Action.REPLACE
    version = NormVersion.objects.get(norm__key="testnorm", label="1")
    assert version.pk == testnorm_v1.pk
    assert version.statements.get(code="A.1").text == "De school heeft een actueel profiel."
    assert version.statements.count() == 4


def test_a_version_used_by_a_round_cannot_change(testnorm_v1):
    Round.objects.create(
        name="Meting 2025",
        version_po=testnorm_v1,
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 10, 1),
    )
    changed = V1.replace("De school heeft een profiel.", "De school heeft een actueel profiel.")
    before = list(Statement.objects.values_list("pk", "text"))
    report = load_norm_files([source(changed, "v1.yaml")])
    (error,) = report.errors
    assert "ronde 'Meting 2025' gebruikt deze versie" in error.message
    assert "publiceer de wijzigingen als een nieuwe versie" in error.message
    assert error.line == 4  # versie: "1"
    assert list(Statement.objects.values_list("pk", "text")) == before
    # The same content is still fine: nothing to change.
    assert load_norm_files([source(V1, "v1.yaml")]).plans[0].action == Action.UNCHANGED


def test_a_version_with_a_successor_cannot_change(testnorm_v1):
    assert load_norm_files([source(V2, "v2.yaml")]).errors == []
    changed = V1.replace("De school heeft een profiel.", "De school heeft een actueel profiel.")
    (error,) = load_norm_files([source(changed, "v1.yaml")]).errors
    assert "is de vorige versie van 2" in error.message


def test_versions_of_one_batch_may_build_on_each_other_in_any_order(db):
    report = load_norm_files([source(V2, "v2.yaml"), source(V1, "v1.yaml")])
    assert report.errors == []
    v2 = NormVersion.objects.get(norm__key="testnorm", label="2")
    assert v2.previous.label == "1"
    b3 = v2.statements.get(code="B.3")
    assert list(b3.derived_from.values_list("code", flat=True)) == ["B.2"]
    assert list(v2.dropped.values_list("statement__code", flat=True)) == ["A.2"]


def test_chain_of_three_versions(anb):
    text = v3_text()
    report = load_norm_files([source(text, "anb-2026.yaml")])
    assert report.errors == []
    v3 = NormVersion.objects.get(norm__key="anb", label="2026")
    assert v3.previous == anb["2025"] and anb["2025"].previous == anb["2024"]
    merged = v3.statements.get(code="T01.20")
    assert sorted(merged.derived_from.values_list("version__label", "code")) == [
        ("2025", "T06.03"),
        ("2025", "T06.04"),
    ]
    # Following the lineage back: 2026 T01.01 <- 2025 T01.01 <- 2024 V1-B01.1.
    first = v3.statements.get(code="T01.01").derived_from.get()
    assert first.derived_from.get().code == "V1-B01.1"
    assert v3.dropped.count() == 66


def test_chain_refuses_codes_of_the_version_before_the_previous(anb):
    text = v3_text().replace("vorige: [T01.01]", "vorige: [V1-B01.1]")
    errors = [str(error) for error in load_norm_files([source(text, "anb-2026.yaml")]).errors]
    assert any("code 'V1-B01.1' bestaat niet in de vorige versie (2025)" in e for e in errors)


def test_validate_reports_actions_without_writing(db):
    report = validate_norm_files([shipped("anb-2024.yaml"), shipped("anb-2025.yaml")])
    assert [plan.action for plan in report.plans] == [Action.NEW, Action.NEW]
    assert not NormVersion.objects.exists()


def test_demo_loads_the_shipped_versions_idempotently(db):
    lines: list[str] = []
    assert demo.load(lines.append) == []
    assert NormVersion.objects.filter(norm__key="anb").count() == 2
    lines.clear()
    demo.load(lines.append)
    assert len(lines) == 2 and all("ongewijzigd" in line for line in lines)


def test_shipped_versions_keep_the_labels_other_apps_look_up(db):
    load_shipped()
    assert set(NormVersion.objects.values_list("norm__key", "label")) == {
        ("anb", "2024"),
        ("anb", "2025"),
    }
