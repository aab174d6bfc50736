"""The register import closes schools missing from the file only when asked (issue 14)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from selfscan.audit.models import AuditEvent
from selfscan.organisations.importer import plan_import
from selfscan.organisations.models import School
from selfscan.organisations.services import apply_register_import
from tests.organisations.duo import duo_file, hundred_schools
from tests.organisations.test_register_pages import _upload

pytestmark = pytest.mark.django_db

BESTUREN = ["41001", "41002", "41003"]
WIJKEN = ["Stad 1", "Stad 2"]


@pytest.fixture
def partial_file(register, staff_user, tmp_path) -> tuple[Path, list[str]]:
    """The register holds 100 schools; the file names them without its first three PO schools."""
    rows = hundred_schools(BESTUREN, WIJKEN)
    apply_register_import(duo_file(rows), "all.csv", actor=staff_user)
    path = tmp_path / "duo-2026.csv"
    path.write_bytes(duo_file(rows[3:]))
    return path, [row.code for row in rows[:3]]


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_register", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _open_count(codes: list[str]) -> int:
    return School.objects.active().filter(vestigingscode__in=codes).count()


def test_missing_schools_are_listed_but_not_closed_by_default(partial_file):
    path, missing = partial_file
    plan = plan_import(path.read_bytes(), path.name)
    assert sorted(s.vestigingscode for s in plan.missing) == sorted(missing)
    assert plan.closes == [] and plan.is_noop


def test_command_apply_without_close_missing_keeps_missing_schools_open(partial_file):
    path, missing = partial_file
    out = run(str(path), "--apply")
    assert "3 actieve school/scholen van de sectoren in het bestand staan er niet in" in out
    assert "--close-missing" in out
    assert "0 gesloten" in out
    assert _open_count(missing) == 3


def test_command_close_missing_dry_run_names_them_and_changes_nothing(partial_file):
    path, missing = partial_file
    events = AuditEvent.objects.count()
    out = run(str(path), "--close-missing", "--dry-run")
    assert all(f"SLUITEN {code}" in out for code in missing)
    assert "3 gesloten" in out and "Proefrun: er is niets gewijzigd" in out
    assert _open_count(missing) == 3
    assert AuditEvent.objects.count() == events


def test_command_close_missing_apply_closes_them(partial_file):
    path, missing = partial_file
    run(str(path), "--close-missing", "--apply")
    assert _open_count(missing) == 0


def test_command_refuses_contradicting_options_and_changes_nothing(partial_file):
    path, missing = partial_file
    with pytest.raises(CommandError, match="Kies --close-missing of --no-close, niet allebei"):
        run(str(path), "--close-missing", "--no-close", "--apply")
    with pytest.raises(CommandError, match="Kies --apply of --dry-run, niet allebei"):
        run(str(path), "--close-missing", "--dry-run", "--apply")
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        run(str(path.with_name("bestaat-niet.csv")), "--apply")
    assert _open_count(missing) == 3


def test_old_no_close_option_still_works_and_closes_nothing(partial_file):
    path, missing = partial_file
    run(str(path), "--no-close", "--apply")
    assert _open_count(missing) == 3


def test_web_checkbox_is_off_by_default_and_the_dry_run_counts_what_stays_open(
    client, partial_file, staff_user
):
    path, missing = partial_file
    client.force_login(staff_user)
    html = client.get(reverse("organisations:import")).content.decode()
    assert (
        'name="close_missing"' in html
        and "checked" not in html.split('name="close_missing"')[1][:80]
    )
    html = _upload(client, path.read_bytes(), close_missing=False).content.decode()
    assert "3 actieve scholen van de sectoren in dit bestand staan er niet in" in html
    assert "Zij blijven open" in html
    assert _open_count(missing) == 3


def test_web_checkbox_states_how_many_close_and_apply_closes_them(client, partial_file, staff_user):
    path, missing = partial_file
    client.force_login(staff_user)
    response = _upload(client, path.read_bytes(), close_missing=True)
    html = response.content.decode()
    assert "3 scholen worden gesloten" in html
    assert _open_count(missing) == 3  # dry run
    digest = response.context["apply_form"].initial["digest"]
    client.post(reverse("organisations:import_apply"), {"digest": digest})
    assert _open_count(missing) == 0


def test_command_as_names_the_actor_in_the_audit_log(partial_file, staff_user):
    path, missing = partial_file
    run(str(path), "--close-missing", "--apply", "--as", staff_user.email)
    event = AuditEvent.objects.filter(action="register.geimporteerd").latest("pk")
    assert event.actor == staff_user
    assert _open_count(missing) == 0


def test_command_as_refuses_someone_without_the_right(partial_file):
    from tests.factories import UserFactory

    school = UserFactory(role="school", email="school@example.org")
    path, missing = partial_file
    with pytest.raises(
        CommandError, match=r"school@example\.org mag geen registerwijzigingen doorvoeren"
    ):
        run(str(path), "--close-missing", "--apply", "--as", school.email)
    assert _open_count(missing) == 3
