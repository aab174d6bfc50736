"""Register pages for staff: list, detail with history, forms (audited), import flow, command."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from selfscan.audit.models import AuditEvent
from selfscan.organisations.models import School
from tests.factories import SchoolFactory
from tests.organisations.duo import Row, duo_file, hundred_schools, school_code

pytestmark = pytest.mark.django_db


def test_school_that_moved_wijk_keeps_its_old_wijk_in_history_and_page_shows_it(client, world):
    staff = world.user("staff")
    client.force_login(staff)
    school = world.school_a1
    url = reverse("organisations:school_edit", kwargs={"pk": school.pk})
    data = {
        "vestigingscode": school.vestigingscode,
        "name": school.name,
        "sector": "PO",
        "subtype": "",
        "wijk": world.wijk_b.pk,
        "bestuur": school.bestuur.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.wijk == world.wijk_b
    old = school.history.order_by("history_date", "pk").first()
    assert old.wijk_id == world.wijk_a.pk  # the old version still says Stad 1
    as_of = school.history.as_of(old.history_date)
    assert as_of.wijk_id == world.wijk_a.pk

    page = client.get(reverse("organisations:school_detail", kwargs={"pk": school.pk}))
    html = page.content.decode()
    assert "wijk gewijzigd van Stad 1 naar Stad 2" in html
    assert staff.get_full_name() in html
    assert date_format(timezone.localdate(), "DATE_FORMAT") in html  # e.g. "25 november 2026"
    event = AuditEvent.objects.get(action="school.gewijzigd")
    assert event.actor == staff and event.changes == {"wijk": ["Stad 1", "Stad 2"]}


def test_school_form_refuses_a_wijk_for_vo_and_a_bad_code(client, world):
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("organisations:school_create"),
        {
            "vestigingscode": "12-AB",
            "name": "X",
            "sector": "VO",
            "wijk": world.wijk_a.pk,
            "bestuur": world.bestuur_a.pk,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alleen scholen in het primair onderwijs (PO) hebben een wijk." in html
    assert "4 tekens BRIN" in html
    assert not School.objects.filter(name="X").exists()


def test_create_school_and_bestuur_are_audited(client, world):
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("organisations:bestuur_create"),
        {"name": "Stichting Nieuw", "bevoegd_gezag_nummer": "41999"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("organisations:school_create"),
        {
            "vestigingscode": "77ab00",
            "name": "Nieuwe School",
            "sector": "PO",
            "wijk": world.wijk_a.pk,
            "bestuur": world.bestuur_a.pk,
        },
    )
    assert response.status_code == 302
    assert School.objects.get(name="Nieuwe School").vestigingscode == "77AB00"
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "bestuur.aangemaakt",
        "school.aangemaakt",
    }


def test_school_list_filters_and_searches_in_few_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(20):
        SchoolFactory(wijk=world.wijk_b, bestuur=world.bestuur_b)
    SchoolFactory(name="Gesloten School", active_to=datetime.date(2020, 7, 31))
    client.force_login(world.user("staff"))
    url = reverse("organisations:school_list")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("/register/scholen/") >= 24
    html = client.get(url, {"q": "derde"}).content.decode()
    assert "De Derde" in html and "De Eerste" not in html
    html = client.get(url, {"wijk": world.wijk_a.pk}).content.decode()
    assert "De Eerste" in html and "De Tweede" not in html
    html = client.get(url, {"status": "gesloten"}).content.decode()
    assert "Gesloten School" in html and "De Eerste" not in html


def test_board_sees_its_bestuur_page_with_only_its_schools(client, world):
    client.force_login(world.user("board"))
    html = client.get(
        reverse("organisations:bestuur_detail", kwargs={"pk": world.bestuur_a.pk})
    ).content.decode()
    assert "De Eerste" in html and "De Tweede" in html and "De Derde" not in html


def _upload(client, content, name="duo.csv", close_missing=True):
    data = {"file": SimpleUploadedFile(name, content)}
    if close_missing:
        data["close_missing"] = "on"
    return client.post(reverse("organisations:import"), data)


def test_import_page_dry_run_then_apply(client, world):
    client.force_login(world.user("staff"))
    rows = [
        Row(bestuur="41001", code="11AA00", name="De Eerste", wijk="Stad 2"),
        Row(bestuur="41001", code="11AB00", name="De Tweede", wijk="Stad 2"),
        Row(bestuur="41002", code="11AC00", name="De Derde", wijk="Stad 2"),
        Row(bestuur="41002", code="70AQ00", name="Nieuwkomer", wijk="Stad 1"),
    ]
    response = _upload(client, duo_file(rows))
    html = response.content.decode()
    assert "Proefrun" in html and "Nieuwkomer" in html
    assert "<td>wijk</td><td>Stad 1</td><td>Stad 2</td>" in html.replace("\n", "")
    assert not School.objects.filter(vestigingscode="70AQ00").exists()
    digest = response.context["apply_form"].initial["digest"]
    response = client.post(reverse("organisations:import_apply"), {"digest": digest})
    assert response.status_code == 302
    assert School.objects.get(vestigingscode="70AQ00").name == "Nieuwkomer"
    assert School.objects.get(vestigingscode="11AA00").wijk == world.wijk_b
    # The dry run is spent: applying again sends you back to the upload page.
    response = client.post(reverse("organisations:import_apply"), {"digest": digest})
    assert response.status_code == 302 and response["Location"] == reverse("organisations:import")


def test_import_page_shows_every_error_and_writes_nothing(client, world):
    client.force_login(world.user("staff"))
    rows = [
        Row(bestuur="41001", code="BAD", name=""),
        Row(bestuur="12345", code="70AQ00", name="x"),
    ]
    html = _upload(client, duo_file(rows)).content.decode()
    assert "rij 2, kolom VESTIGINGSCODE: ongeldige vestigingscode" in html
    assert "rij 2, kolom VESTIGINGSNAAM: naam ontbreekt" in html
    assert "rij 3, kolom BEVOEGD GEZAG NUMMER: onbekend bestuur 12345" in html
    assert "Wijzigingen doorvoeren" not in html
    assert School.objects.count() == 3


def test_apply_revalidates_when_the_register_changed_since_the_dry_run(client, world):
    client.force_login(world.user("staff"))
    content = duo_file([Row(bestuur="41002", code="70AQ00", name="Nieuwkomer")])
    response = _upload(client, content)
    digest = response.context["apply_form"].initial["digest"]
    world.bestuur_b.schools.all().delete()
    world.bestuur_b.delete()  # the board the file refers to is gone
    response = client.post(reverse("organisations:import_apply"), {"digest": digest})
    assert response.status_code == 200
    assert "onbekend bestuur 41002" in response.content.decode()
    assert not School.objects.filter(vestigingscode="70AQ00").exists()


def test_template_download(client, world):
    client.force_login(world.user("staff"))
    response = client.get(reverse("organisations:import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert b"vestigingscode;naam;bevoegd gezag nummer" in response.content


def test_import_register_command_dry_run_and_apply(tmp_path, register, capsys):
    path = tmp_path / "duo.csv"
    path.write_bytes(duo_file(hundred_schools(["41001", "41002"], ["Stad 1", "Stad 2"])))
    call_command("import_register", str(path))
    assert School.objects.count() == 0
    assert "100 nieuw" in capsys.readouterr().out
    call_command("import_register", str(path), "--apply")
    assert School.objects.count() == 100
    call_command("import_register", str(path), "--apply")
    assert "0 nieuw, 0 gewijzigd, 0 gesloten, 100 ongewijzigd" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(duo_file([Row(bestuur="41001", code=school_code(0), name="")]))
    with pytest.raises(CommandError):
        call_command("import_register", str(bad), "--apply")


def test_school_team_sees_its_school_page_without_the_history(client, world):
    client.force_login(world.user("school"))
    html = client.get(
        reverse("organisations:school_detail", kwargs={"pk": world.school_a1.pk})
    ).content.decode()
    assert "De Eerste" in html and "Geschiedenis" not in html and "Wijzigen" not in html


def test_school_as_of_returns_the_register_as_it_was(world):
    from django.utils import timezone

    from selfscan.organisations.selectors import school_as_of

    school = world.school_a1
    before_move = timezone.now()
    school.wijk = world.wijk_b
    school.save()
    then = school_as_of(school, before_move)
    now = school_as_of(school, timezone.now())
    assert then.wijk_id == world.wijk_a.pk and now.wijk_id == world.wijk_b.pk
    assert school_as_of(school, before_move - datetime.timedelta(days=1)) is None


def test_tampered_apply_digest_changes_nothing(client, world):
    client.force_login(world.user("staff"))
    _upload(client, duo_file([Row(bestuur="41001", code="70AQ00", name="Nieuwkomer")]))
    response = client.post(reverse("organisations:import_apply"), {"digest": "0" * 64}, follow=True)
    assert "Deze proefrun is niet meer beschikbaar" in response.content.decode()
    assert not School.objects.filter(vestigingscode="70AQ00").exists()


def test_wijk_moves_to_another_stadsdeel_audited_and_listed(client, world):
    client.force_login(world.user("staff"))
    response = client.post(reverse("organisations:stadsdeel_create"), {"name": "Stad West"})
    assert response.status_code == 302
    from selfscan.organisations.models import Stadsdeel

    west = Stadsdeel.objects.get(name="Stad West")
    response = client.post(
        reverse("organisations:wijk_edit", kwargs={"pk": world.wijk_b.pk}),
        {"name": "Stad 2", "stadsdeel": west.pk},
    )
    assert response.status_code == 302
    world.wijk_b.refresh_from_db()
    assert world.wijk_b.stadsdeel == west
    assert world.wijk_b.history.count() == 2
    event = AuditEvent.objects.get(action="wijk.gewijzigd")
    assert event.changes == {"stadsdeel": ["Stad Oost", "Stad West"]}
    html = client.get(reverse("organisations:area_list")).content.decode()
    assert html.index("Stad West") < html.index(">Stad 2<")
