"""The wizard without JavaScript: saving on "Volgende", resuming, conflicts, review, submit."""

import pytest
from django.urls import reverse

from selfscan.scans.models import Answer, AnswerChange, Scan, ScanEvent, ThemeReflection
from selfscan.scans.services import reopen_scan, save_answer


@pytest.fixture
def client_in(client, school_user):
    client.force_login(school_user)
    return client


def step_url(scan, step):
    return reverse("scans:step", kwargs={"pk": scan.pk, "step": step})


def theme_data(statements, theme_code, value="3", versions=None):
    data = {}
    for s in statements:
        if s.theme.code != theme_code:
            continue
        data[f"s{s.pk}-value"] = value
        data[f"s{s.pk}-comment"] = ""
        data[f"s{s.pk}-version"] = (versions or {}).get(s.pk, 0)
    return data


def test_wizard_starts_at_the_first_theme_and_resumes_at_the_saved_step(client_in, scan):
    response = client_in.get(reverse("scans:wizard", kwargs={"pk": scan.pk}))
    assert response["Location"] == step_url(scan, "T01")
    Scan.objects.filter(pk=scan.pk).update(current_step="T02")
    response = client_in.get(reverse("scans:wizard", kwargs={"pk": scan.pk}))
    assert response["Location"] == step_url(scan, "T02")


def test_step_shows_scale_guidance_in_a_fieldset_with_legend(client_in, scan, statements):
    scan.norm_version.scale.filter(code="3").update(guidance="Schoolbreed afgesproken.")
    html = client_in.get(step_url(scan, "T01")).content.decode()
    pk = statements[0].pk
    assert f'aria-describedby="s{pk}-g3"' in html
    assert f'<span class="guidance" id="s{pk}-g3">Schoolbreed afgesproken.</span>' in html
    assert html.count('<fieldset class="statement') == 4
    assert f'<legend><span class="code">{statements[0].code}</span>' in html
    assert "Voldoende" in html and "Niet van toepassing" in html
    assert 'aria-live="polite"' in html


def test_next_saves_the_step_and_moves_on(client_in, scan, statements):
    data = theme_data(statements, "T01")
    data["reflection"] = "We doen veel, maar niet overal even goed."
    response = client_in.post(step_url(scan, "T01"), data)
    assert response["Location"] == step_url(scan, "T02")
    assert Answer.objects.filter(scan=scan, value="3").count() == 4
    reflection = ThemeReflection.objects.get(scan=scan)
    assert reflection.reflection == "We doen veel, maar niet overal even goed."
    scan.refresh_from_db()
    assert scan.current_step == "T02"


def test_last_step_goes_to_review(client_in, scan, statements):
    response = client_in.post(step_url(scan, "T03"), theme_data(statements, "T03"))
    assert response["Location"] == reverse("scans:review", kwargs={"pk": scan.pk})


def test_conflict_on_next_shows_the_other_answer_and_keeps_it(client_in, scan, statements, world):
    first = statements[0]
    colleague = world.user("school")
    save_answer(scan=scan, statement_id=first.pk, by=colleague, value="1", expected_version=0)
    response = client_in.post(step_url(scan, "T01"), theme_data(statements, "T01", value="4"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders was u voor." in html
    assert "iemand anders heeft deze stelling intussen gewijzigd" in html
    assert Answer.objects.get(scan=scan, statement=first).value == "1"
    # the others were saved: different statements never interfere
    assert Answer.objects.filter(scan=scan, value="4").count() == 3


def test_conflict_resolved_with_mine_overwrites_knowingly(client_in, scan, statements, world):
    first = statements[0]
    save_answer(
        scan=scan, statement_id=first.pk, by=world.user("school"), value="1", expected_version=0
    )
    data = theme_data(statements, "T01", value="4", versions={first.pk: 1})
    data[f"s{first.pk}-resolve"] = "mine"
    client_in.post(step_url(scan, "T01"), data)
    assert Answer.objects.get(scan=scan, statement=first).value == "4"
    data[f"s{first.pk}-resolve"] = "theirs"
    data[f"s{first.pk}-value"] = "2"
    client_in.post(step_url(scan, "T01"), data)
    assert Answer.objects.get(scan=scan, statement=first).value == "4"


def test_review_lists_unanswered_statements_with_links(client_in, scan, statements):
    client_in.post(step_url(scan, "T01"), theme_data(statements, "T01"))
    html = client_in.get(reverse("scans:review", kwargs={"pk": scan.pk})).content.decode()
    assert "Nog niet beantwoord" in html
    t02 = next(s for s in statements if s.theme.code == "T02")
    assert f"{step_url(scan, 'T02')}#s{t02.pk}" in html
    assert "Zelfscan indienen" not in html


def test_submit_incomplete_scan_is_refused(client_in, scan, statements):
    client_in.post(step_url(scan, "T01"), theme_data(statements, "T01"))
    response = client_in.post(
        reverse("scans:submit", kwargs={"pk": scan.pk}), {"confirm": "1"}, follow=True
    )
    assert "Indienen kan nog niet: 8 stelling(en)" in response.content.decode()
    scan.refresh_from_db()
    assert scan.status == Scan.Status.IN_PROGRESS


def fill_all(client_in, scan, statements):
    for code in ("T01", "T02", "T03"):
        client_in.post(step_url(scan, code), theme_data(statements, code))


def test_double_submit_makes_one_submission(client_in, scan, statements, school_user):
    fill_all(client_in, scan, statements)
    url = reverse("scans:submit", kwargs={"pk": scan.pk})
    first = client_in.post(url, {"confirm": "1"}, follow=True)
    second = client_in.post(url, {"confirm": "1"}, follow=True)
    assert "De zelfscan is ingediend" in first.content.decode()
    assert "Deze zelfscan was al ingediend." in second.content.decode()
    scan.refresh_from_db()
    assert scan.status == Scan.Status.SUBMITTED
    assert scan.submitted_by == school_user
    assert ScanEvent.objects.filter(scan=scan, kind=ScanEvent.Kind.SUBMITTED).count() == 1


def test_submitted_scan_is_locked_and_history_is_visible(client_in, scan, statements):
    fill_all(client_in, scan, statements)
    client_in.post(reverse("scans:submit", kwargs={"pk": scan.pk}), {"confirm": "1"})
    html = client_in.get(step_url(scan, "T01")).content.decode()
    assert "Deze zelfscan is ingediend. Er kan niets meer worden gewijzigd." in html
    history = client_in.get(reverse("scans:history", kwargs={"pk": scan.pk})).content.decode()
    assert statements[0].code in history
    assert AnswerChange.objects.filter(answer__scan=scan).count() == 12


def test_reopened_scan_shows_the_reason_to_the_school(client_in, scan, statements, world):
    fill_all(client_in, scan, statements)
    client_in.post(reverse("scans:submit", kwargs={"pk": scan.pk}), {"confirm": "1"})
    reopen_scan(scan=scan, by=world.user("staff"), reason="Thema 2 graag opnieuw bekijken.")
    html = client_in.get(reverse("scans:overview", kwargs={"pk": scan.pk})).content.decode()
    assert "Thema 2 graag opnieuw bekijken." in html
    scan.refresh_from_db()
    assert scan.status == Scan.Status.IN_PROGRESS


def test_mijn_zelfscan_lists_the_schools_scan(client_in, scan):
    html = client_in.get(reverse("scans:mine")).content.decode()
    assert scan.round.name in html
    assert reverse("scans:wizard", kwargs={"pk": scan.pk}) in html


def test_previous_saves_the_step_and_goes_back(client_in, scan, statements):
    data = theme_data(statements, "T02", value="2")
    data["wizard_goto_step"] = "T01"
    response = client_in.post(step_url(scan, "T02"), data)
    assert response["Location"] == step_url(scan, "T01")
    assert Answer.objects.filter(scan=scan, value="2").count() == 4
    scan.refresh_from_db()
    assert scan.current_step == "T01"


def test_unknown_step_is_404(client_in, scan):
    assert client_in.get(step_url(scan, "T99")).status_code == 404
