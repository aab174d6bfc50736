"""Bad input: a clear Dutch message and nothing changed in the database."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from selfscan.norms.models import Statement
from selfscan.scans.models import Answer, AnswerChange, Scan
from selfscan.scans.services import save_answer
from tests.factories import make_norm_version


def snapshot(scan):
    return (
        sorted(Answer.objects.filter(scan=scan).values_list("statement_id", "value", "version")),
        AnswerChange.objects.count(),
        Scan.objects.filter(pk=scan.pk).values_list("status", flat=True).get(),
    )


@pytest.fixture
def client_in(client, school_user):
    client.force_login(school_user)
    return client


def post_save(client, scan, **data):
    return client.post(reverse("scans:save", kwargs={"pk": scan.pk}), data)


def test_code_not_in_the_scale(client_in, scan, statements):
    before = snapshot(scan)
    response = post_save(client_in, scan, statement=statements[0].pk, value="7", version=0)
    assert response.status_code == 400
    assert response.json()["message"] == "“7” is geen antwoord op de schaal van deze norm."
    assert snapshot(scan) == before


def test_statement_of_another_version(client_in, scan):
    other = make_norm_version(key="anders", themes=1, statements_per_theme=1)
    foreign = Statement.objects.get(version=other)
    before = snapshot(scan)
    response = post_save(client_in, scan, statement=foreign.pk, value="3", version=0)
    assert response.status_code == 400
    assert response.json()["message"] == "Deze stelling hoort niet bij deze zelfscan."
    assert snapshot(scan) == before


def test_statement_of_another_sector(client_in, scan, statements):
    Statement.objects.filter(pk=statements[1].pk).update(sectors=["VO"])
    before = snapshot(scan)
    response = post_save(client_in, scan, statement=statements[1].pk, value="3", version=0)
    assert response.status_code == 400
    assert response.json()["message"] == "Deze stelling geldt niet voor uw sector."
    assert snapshot(scan) == before


def test_nvt_where_not_allowed(client_in, scan, statements):
    plain = next(s for s in statements if not s.nvt_allowed)
    before = snapshot(scan)
    response = post_save(client_in, scan, statement=plain.pk, value="NVT", version=0)
    assert response.status_code == 400
    assert response.json()["message"] == f"Bij stelling {plain.code} is n.v.t. niet toegestaan."
    assert snapshot(scan) == before


def test_another_schools_scan_is_404(client_in, scan, statements, world):
    theirs = Scan.objects.get(round=scan.round, school=world.school_b1)
    before = snapshot(theirs)
    response = post_save(client_in, theirs, statement=statements[0].pk, value="3", version=0)
    assert response.status_code == 404
    assert snapshot(theirs) == before
    assert (
        client_in.get(reverse("scans:step", kwargs={"pk": theirs.pk, "step": "T01"})).status_code
        == 404
    )


def test_edit_after_submit(client_in, scan, statements, school_user):
    Scan.objects.filter(pk=scan.pk).update(status=Scan.Status.SUBMITTED)
    before = snapshot(scan)
    response = post_save(client_in, scan, statement=statements[0].pk, value="3", version=0)
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Deze zelfscan is ingediend. Er kan niets meer worden gewijzigd."
    )
    assert snapshot(scan) == before


def test_edit_after_the_close_date(client_in, scan, statements):
    scan.round.closes_on = timezone.localdate() - timedelta(days=1)
    scan.round.save()
    before = snapshot(scan)
    response = post_save(client_in, scan, statement=statements[0].pk, value="3", version=0)
    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith("De sluitingsdatum (")
    assert message.endswith("is verstreken. Er kan niets meer worden gewijzigd.")
    assert snapshot(scan) == before


def test_step_post_after_the_close_date_shows_the_message(client_in, scan, statements):
    scan.round.closes_on = timezone.localdate() - timedelta(days=1)
    scan.round.save()
    before = snapshot(scan)
    url = reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"})
    response = client_in.post(
        url, {f"s{statements[0].pk}-value": "3", f"s{statements[0].pk}-version": 0}, follow=True
    )
    assert "is verstreken. Er kan niets meer worden gewijzigd." in response.content.decode()
    assert snapshot(scan) == before


def test_replayed_post_with_a_stale_version_is_a_conflict(client_in, scan, statements, world):
    sid = statements[0].pk
    save_answer(scan=scan, statement_id=sid, by=world.user("school"), value="4", expected_version=0)
    before = snapshot(scan)
    response = post_save(client_in, scan, statement=sid, value="1", version=0)  # replay
    assert response.status_code == 409
    body = response.json()
    assert body["conflict"] is True
    assert "heeft deze stelling op" in body["message"]
    assert body["theirs"]["value"] == "4"
    assert snapshot(scan) == before


def test_tampered_version_field(client_in, scan, statements):
    before = snapshot(scan)
    response = post_save(client_in, scan, statement=statements[0].pk, value="3", version="x")
    assert response.status_code == 400
    assert response.json()["message"] == "Het formulier is onvolledig. Laad de pagina opnieuw."
    assert snapshot(scan) == before


def test_tampered_step_form_saves_nothing_of_the_step(client_in, scan, statements):
    """One bad field in the step: the whole step is refused, with the message next to it."""
    before = snapshot(scan)
    url = reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"})
    data = {f"s{s.pk}-version": 0 for s in statements[:4]}
    data[f"s{statements[0].pk}-value"] = "3"
    data[f"s{statements[1].pk}-value"] = "99"
    response = client_in.post(url, data)
    assert response.status_code == 200
    assert "“99” is geen antwoord op de schaal van deze norm." in response.content.decode()
    assert snapshot(scan) == before


def test_nvt_without_explanation_on_next_is_refused(client_in, scan, statements):
    nvt_statement = next(s for s in statements[:4] if s.nvt_allowed)
    before = snapshot(scan)
    url = reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"})
    data = {f"s{s.pk}-version": 0 for s in statements[:4]}
    data[f"s{nvt_statement.pk}-value"] = "NVT"
    response = client_in.post(url, data)
    assert (
        f"Licht toe waarom stelling {nvt_statement.code} niet van toepassing is."
        in response.content.decode()
    )
    assert snapshot(scan) == before
