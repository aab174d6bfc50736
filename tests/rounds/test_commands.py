"""The round commands for scripted operations (issue 14): create, open, extend, close, reopen,
publish and status; each with --dry-run, and bad input refused in Dutch with nothing changed."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from selfscan.audit.models import AuditEvent
from selfscan.rounds.models import Round
from selfscan.rounds.services import open_round, save_round
from selfscan.scans.models import Scan
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def run(name: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> tuple[Any, ...]:
    """Everything a round command may write."""
    return (
        list(Round.objects.values_list("pk", "status", "closes_on", "name")),
        Scan.objects.count(),
        AuditEvent.objects.count(),
    )


def _draft(world, version, **extra) -> Round:
    data = {
        "name": "Zelfscan 2026-2027",
        "version_po": version,
        "version_vo": None,
        "version_sv": None,
        "opens_on": TODAY,
        "closes_on": TODAY + timedelta(days=30),
        "threshold_percent": 85,
        "reminder_days_before": 7,
        **extra,
    }
    return save_round(round_=None, by=None, data=data, invited=None)


@pytest.fixture
def draft(world, version) -> Round:
    return _draft(world, version)


@pytest.fixture
def opened(draft) -> Round:
    open_round(round_=draft, by=None)
    draft.refresh_from_db()
    return draft


def _closed(opened) -> Round:
    run("close_round", str(opened.pk))
    opened.refresh_from_db()
    return opened


# --- create_round --------------------------------------------------------------------------


def create_args(**extra: str) -> list[str]:
    values = {
        "--name": "Zelfscan 2027-2028",
        "--opens-on": (TODAY + timedelta(days=10)).isoformat(),
        "--closes-on": (TODAY + timedelta(days=70)).isoformat(),
        "--po": "anbtest:2025",
        **extra,
    }
    return [item for pair in values.items() for item in pair if pair[1] is not None]


def test_create_round_from_options_invites_every_active_school_of_the_sector(world, version):
    out, _err = run("create_round", *create_args(), "--as", "swv@example.org")
    round_ = Round.objects.get(name="Zelfscan 2027-2028")
    assert round_.status == Round.Status.DRAFT and round_.version_po == version
    assert round_.invited_schools.count() == 3
    assert "PO: ANBTEST 2025, 3 scholen uitgenodigd" in out
    assert f"Meetronde aangemaakt (id {round_.pk}), in concept." in out
    event = AuditEvent.objects.get(action="round.created")
    assert event.actor == world.user("staff")


def test_create_round_selection_combines_kinds_with_and(world, version):
    run("create_round", *create_args(), "--sector", "po", "--bestuur", "41001", "--wijk", "Stad 2")
    round_ = Round.objects.get(name="Zelfscan 2027-2028")
    assert list(round_.invited_schools.all()) == [world.school_a2]


def test_create_round_dry_run_reports_and_stores_nothing(world, version):
    before = snapshot()
    out, _err = run("create_round", *create_args(), "--bestuur", "Stichting Beta", "--dry-run")
    assert "PO: ANBTEST 2025, 1 scholen uitgenodigd" in out
    assert "Proefrun: er is niets opgeslagen" in out
    assert snapshot() == before


def test_create_round_from_yaml_file_without_system_actor(world, version, tmp_path):
    path = tmp_path / "ronde.yaml"
    path.write_text(
        "naam: Zelfscan uit bestand\n"
        f"opent_op: {TODAY + timedelta(days=5)}\n"
        f"sluit_op: {TODAY + timedelta(days=50)}\n"
        "drempel: 80\n"
        "versies:\n  PO: anbtest:2025\n"
        "uitnodigen:\n  scholen: [11AA00, 11ac00]\n",
        encoding="utf-8",
    )
    run("create_round", "--file", str(path))
    round_ = Round.objects.get(name="Zelfscan uit bestand")
    assert round_.threshold_percent == 80
    assert set(round_.invited_schools.all()) == {world.school_a1, world.school_b1}
    assert AuditEvent.objects.get(action="round.created").actor_label == "systeem"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (create_args(**{"--opens-on": "31-12-2026"}), "'31-12-2026' is geen geldige datum"),
        (create_args(**{"--po": "anbtest:1999"}), "'anbtest:1999' bestaat niet"),
        (create_args(**{"--po": "anbtest"}), "schrijf norm:versie"),
        (
            create_args(**{"--threshold": "120"}),
            "drempel: Kies een percentage van 1 tot en met 100",
        ),
        (
            create_args(**{"--closes-on": (TODAY - timedelta(days=1)).isoformat()}),
            "De sluitingsdatum ligt vóór de openingsdatum",
        ),
        (create_args(**{"--po": None}), "Kies voor minstens één sector een normversie"),
        ([*create_args(), "--wijk", "Atlantis"], "Onbekende wijk 'Atlantis'"),
        ([*create_args(), "--bestuur", "99999"], "Onbekend bestuur '99999'"),
        ([*create_args(), "--school", "99ZZ00"], "Onbekende vestigingscode: 99ZZ00"),
        ([*create_args(), "--sector", "MBO"], "Onbekende sector 'MBO'"),
        ([*create_args(), "--sector", "VO"], "Geen actieve school past bij deze selectie"),
        (["--name", "Alleen een naam"], "Geef --opens-on, --closes-on op"),
        ([*create_args(), "--as", "niemand@example.org"], "Geen actieve gebruiker"),
        ([*create_args(), "--as", "school@example.org"], "mag geen meetrondes beheren"),
    ],
)
def test_create_round_refuses_bad_input_in_dutch_and_stores_nothing(world, version, args, message):
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        run("create_round", *args)
    assert snapshot() == before


def test_create_round_refuses_a_bad_yaml_file_with_its_line(world, version, tmp_path):
    path = tmp_path / "ronde.yaml"
    path.write_text(
        "naam: X\nopent_op: morgen\nsluit_op: 2027-01-01\nversies: {PO: a:b}\nkleur: rood\n"
    )
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run("create_round", "--file", str(path))
    text = str(error.value)
    assert "ronde.yaml, regel 2" in text and "moet een datum zijn" in text
    assert "regel 5" in text and "onbekende sleutel" in text
    with pytest.raises(CommandError, match="Gebruik --file óf opties"):
        run("create_round", "--file", str(path), "--name", "X")
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        run("create_round", "--file", str(tmp_path / "weg.yaml"))
    assert snapshot() == before


def test_create_round_yaml_alias_is_read_by_the_safe_loader(world, version, tmp_path):
    path = tmp_path / "ronde.yaml"
    path.write_text("naam: &n [a, b]\nopent_op: *n\n")
    with pytest.raises(CommandError, match="Het bestand bevat fouten"):
        run("create_round", "--file", str(path))
    assert not Round.objects.exists()


# --- open, extend, close, reopen, publish ----------------------------------------------------


def test_open_round_dry_run_then_for_real(draft):
    before = snapshot()
    out, _err = run("open_round", draft.name, "--dry-run")
    assert "geopend: 3 zelfscans klaargezet" in out and "Proefrun" in out
    assert snapshot() == before
    out, _err = run("open_round", str(draft.pk), "--as", "swv@example.org")
    draft.refresh_from_db()
    assert draft.status == Round.Status.OPEN and Scan.objects.filter(round=draft).count() == 3
    assert AuditEvent.objects.get(action="round.opened").actor_label == "swv@example.org"


def test_open_round_twice_is_refused_in_dutch(opened):
    before = snapshot()
    with pytest.raises(
        CommandError, match=r"Deze meetronde is al geopend\. Er is niets gewijzigd\."
    ):
        run("open_round", str(opened.pk))
    assert snapshot() == before


def test_unknown_or_ambiguous_round_is_refused(world, version, draft):
    _draft(world, version)  # a second round with the same name
    with pytest.raises(CommandError, match="Geen meetronde gevonden met id of naam 'Nope'"):
        run("open_round", "Nope")
    with pytest.raises(CommandError, match="Meer dan één meetronde heet"):
        run("close_round", draft.name)


def test_extend_round(opened):
    new = TODAY + timedelta(days=45)
    before = snapshot()
    run("extend_round", str(opened.pk), "--closes-on", new.isoformat(), "--dry-run")
    assert snapshot() == before
    run("extend_round", str(opened.pk), "--closes-on", new.isoformat())
    opened.refresh_from_db()
    assert opened.closes_on == new
    before = snapshot()
    with pytest.raises(CommandError, match="De nieuwe sluitingsdatum moet na"):
        run("extend_round", str(opened.pk), "--closes-on", TODAY.isoformat())
    with pytest.raises(CommandError, match="geen geldige datum"):
        run("extend_round", str(opened.pk), "--closes-on", "volgende week")
    assert snapshot() == before


def test_close_round_dry_run_then_for_real_and_not_twice(opened):
    before = snapshot()
    run("close_round", str(opened.pk), "--dry-run")
    assert snapshot() == before
    out, _err = run("close_round", str(opened.pk))
    assert "gesloten" in out
    opened.refresh_from_db()
    assert opened.status == Round.Status.CLOSED
    with pytest.raises(CommandError, match="Alleen een open meetronde kan worden gesloten"):
        run("close_round", str(opened.pk))


def test_reopen_round_keeps_the_reason_in_the_audit_log(opened):
    closed = _closed(opened)
    new = TODAY + timedelta(days=14)
    before = snapshot()
    out, _err = run(
        "reopen_round", str(closed.pk), "--closes-on", new.isoformat(), "--reason", "x", "--dry-run"
    )
    assert "is weer open" in out and "Proefrun" in out
    assert snapshot() == before
    run(
        "reopen_round",
        str(closed.pk),
        "--closes-on",
        new.isoformat(),
        "--reason",
        "Drie scholen hadden storing",
        "--as",
        "swv@example.org",
    )
    closed.refresh_from_db()
    assert closed.status == Round.Status.OPEN and closed.closes_on == new
    event = AuditEvent.objects.get(action="round.reopened")
    assert event.changes["reason"] == "Drie scholen hadden storing"
    assert closed.notice == "Drie scholen hadden storing"  # the schools see it
    assert event.action_label == "Meetronde heropend"


@pytest.mark.parametrize(
    ("closes_on", "reason", "message"),
    [
        (TODAY - timedelta(days=1), "reden", "De nieuwe sluitingsdatum moet vandaag"),
        (TODAY + timedelta(days=3), "   ", "--reason: geef een reden op"),
        ("2026-02-30", "reden", "'2026-02-30' is geen geldige datum"),
    ],
)
def test_reopen_round_refuses_bad_input(opened, closes_on, reason, message):
    closed = _closed(opened)
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        run("reopen_round", str(closed.pk), "--closes-on", str(closes_on), "--reason", reason)
    assert snapshot() == before


def test_reopen_round_refuses_an_open_round(opened):
    before = snapshot()
    with pytest.raises(
        CommandError,
        match="Alleen een gesloten meetronde die nog niet is gepubliceerd kan heropenen",
    ):
        run("reopen_round", str(opened.pk), "--closes-on", "2099-01-01", "--reason", "x")
    assert snapshot() == before


def test_publish_round(opened):
    before = snapshot()
    with pytest.raises(CommandError, match="Alleen een gesloten meetronde kan worden gepubliceerd"):
        run("publish_round", str(opened.pk))
    assert snapshot() == before
    closed = _closed(opened)
    before = snapshot()
    run("publish_round", str(closed.pk), "--dry-run")
    assert snapshot() == before
    run("publish_round", str(closed.pk))
    closed.refresh_from_db()
    assert closed.status == Round.Status.PUBLISHED


# --- round_status ----------------------------------------------------------------------------


def test_round_status_of_a_draft_counts_the_invitations(draft):
    out, _err = run("round_status", str(draft.pk))
    assert "De meetronde is nog niet geopend" in out
    lines = out.splitlines()
    assert lines[1].split() == ["Sector", "Uitgenodigd", "Begonnen", "Ingediend", "Respons"]
    assert lines[3].split() == ["PO", "3", "0", "0", "0%"]


def test_round_status_per_sector_invited_started_submitted(world, version):
    SchoolFactory(vestigingscode="22VO00", sector="VO", wijk=None, bestuur=world.bestuur_a)
    round_ = _draft(world, version, version_vo=version)
    open_round(round_=round_, by=None)
    scans = Scan.objects.filter(round=round_, sector="PO").order_by("pk")
    scans.filter(pk=scans[0].pk).update(status=Scan.Status.SUBMITTED)
    scans.filter(pk=scans[1].pk).update(status=Scan.Status.IN_PROGRESS)
    out, _err = run("round_status", round_.name)
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line[:1].isalpha()}
    assert rows["PO"] == ["3", "2", "1", "33%"]
    assert rows["VO"] == ["1", "0", "0", "0%"]
    assert rows["Totaal"] == ["4", "2", "1", "25%"]
    assert mail.outbox == []


def test_round_status_unknown_round(world):
    with pytest.raises(CommandError, match="Geen meetronde gevonden"):
        run("round_status", "999")
