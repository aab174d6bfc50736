"""The progress page's contact people: who can log in, who has an open invitation, schools
nobody can log in to; inviting from there; the list as CSV and XLSX."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from selfscan.accounts.models import Invitation, Role, User
from selfscan.accounts.services import invite_user
from selfscan.scans.models import Scan
from tests.factories import SchoolFactory, UserFactory, WijkFactory
from tests.scans.factories import make_round


@pytest.fixture
def round_(world, version):
    """De Eerste: school@ can log in, nieuw@ has an open invitation. De Tweede: oud@'s
    invitation expired, and its contact address has no account. De Derde: andereschool@."""
    world.school_a2.contact_email = "info@tweede.example.org"
    world.school_a2.save()
    invite_user(email="nieuw@example.org", role=Role.SCHOOL, schools=[world.school_a1], actor=None)
    old, _token = invite_user(
        email="oud@example.org", role=Role.SCHOOL, schools=[world.school_a2], actor=None
    )
    Invitation.objects.filter(user=old).update(expires_at="2020-01-01T00:00:00Z")
    UserFactory(
        email="weg@example.org", role=Role.SCHOOL, schools=[world.school_a2], is_active=False
    )
    mail.outbox.clear()
    return make_round(version=version, schools=[world.school_a1, world.school_a2, world.school_b1])


def page(client, world, round_, role="staff", **params):
    client.force_login(world.user(role))
    return client.get(reverse("rounds:progress", kwargs={"pk": round_.pk}), params)


def row_of(html: str, school: str) -> str:
    start = html.index(f">{school}")
    return html[start : html.index("</tr>", start)]


def test_staff_see_who_can_log_in_and_who_has_an_open_invitation(client, world, round_):
    html = page(client, world, round_).content.decode()
    first = row_of(html, "De Eerste")
    assert "school@example.org" in first and "kan inloggen" in first
    assert "nieuw@example.org" in first and "uitnodiging open" in first
    assert "Niemand kan inloggen" not in first
    second = row_of(html, "De Tweede")
    assert "Niemand kan inloggen" in second
    assert "oud@example.org" in second and "geen toegang" in second
    assert "weg@example.org" not in second  # deactivated: no contact person any more
    assert "Contactadres uitnodigen" in second
    assert "1 school heeft niemand die kan inloggen" in html


def test_staff_filter_the_schools_nobody_can_log_in_to(client, world, round_):
    html = page(client, world, round_, login="niemand").content.decode()
    assert ">De Tweede" in html
    assert ">De Eerste" not in html and ">De Derde" not in html
    assert "1 van 3 scholen getoond." in html
    xlsx = client.get(
        reverse("rounds:progress_export", args=[round_.pk, "xlsx"]), {"login": "niemand"}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content))["Voortgang"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["De Tweede"]


def test_board_staff_do_not_see_contact_people(client, world, round_):
    html = page(client, world, round_, role="board").content.decode()
    assert "Contactpersonen" not in html
    assert "school@example.org" not in html
    assert 'name="login"' not in html
    response = client.get(reverse("rounds:progress_export", args=[round_.pk, "csv"]))
    assert response.status_code == 403


def test_staff_invite_the_contact_address_from_the_progress_page(
    client, world, round_, django_capture_on_commit_callbacks
):
    client.force_login(world.user("staff"))
    scan = Scan.objects.get(round=round_, school=world.school_a2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rounds:invite_contact", args=[scan.pk]))
    assert response.status_code == 302
    user = User.objects.get(email="info@tweede.example.org")
    assert list(user.schools.all()) == [world.school_a2]
    assert user.invitations.filter(used_at__isnull=True).exists()
    assert mail.outbox[-1].to == ["info@tweede.example.org"]
    # Twice: the account exists now, so nothing new is created or sent.
    client.post(reverse("rounds:invite_contact", args=[scan.pk]))
    assert len(mail.outbox) == 1
    assert "uitnodiging open" in row_of(page(client, world, round_).content.decode(), "De Tweede")


def test_staff_invite_a_member_whose_invitation_expired(
    client, world, round_, django_capture_on_commit_callbacks
):
    client.force_login(world.user("staff"))
    scan = Scan.objects.get(round=round_, school=world.school_a2)
    old = User.objects.get(email="oud@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rounds:reinvite_member", args=[scan.pk, old.pk]))
    assert mail.outbox[-1].to == ["oud@example.org"]
    assert "uitnodiging open" in row_of(page(client, world, round_).content.decode(), "De Tweede")


def test_a_member_of_another_school_cannot_be_invited_through_this_scan(client, world, round_):
    client.force_login(world.user("staff"))
    scan = Scan.objects.get(round=round_, school=world.school_a2)
    response = client.post(
        reverse("rounds:reinvite_member", args=[scan.pk, world.user("other_school").pk])
    )
    assert response.status_code == 404
    assert mail.outbox == []


def test_csv_export_has_a_row_per_contact_person_and_guards_formulas(client, world, round_):
    client.force_login(world.user("staff"))
    response = client.get(reverse("rounds:progress_export", args=[round_.pk, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["vestigingscode", "school", "sector"]
    assert rows[0][8:] == ["iemand kan inloggen", "naam", "e-mailadres", "toegang"]
    people = {(r[1], r[10]): (r[8], r[11]) for r in rows[1:]}
    assert people[("De Eerste", "school@example.org")] == ("ja", "kan inloggen")
    assert people[("De Eerste", "nieuw@example.org")] == ("ja", "uitnodiging open")
    assert people[("De Tweede", "oud@example.org")] == ("nee", "geen toegang")
    assert len(rows) == 1 + 4  # De Derde has one member


def test_csv_export_guards_names_that_look_like_formulas(client, world, round_):
    User.objects.filter(email="oud@example.org").update(first_name="=HYPERLINK(1)")
    client.force_login(world.user("staff"))
    text = client.get(reverse("rounds:progress_export", args=[round_.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[9] for r in rows if r[10] == "oud@example.org"] == ["'=HYPERLINK(1)"]


def test_xlsx_export_follows_the_page_filters(client, world, round_):
    client.force_login(world.user("staff"))
    url = reverse("rounds:progress_export", args=[round_.pk, "xlsx"])
    response = client.get(url, {"q": "tweede"})
    sheet = load_workbook(io.BytesIO(response.content))["Voortgang"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][1] == "school"
    assert [(v[1], v[6], v[8], v[10]) for v in values[1:]] == [
        ("De Tweede", 0, "nee", "oud@example.org")
    ]


def test_unknown_export_format_is_not_found(client, world, round_):
    client.force_login(world.user("staff"))
    assert client.get(reverse("rounds:progress_export", args=[round_.pk, "pdf"])).status_code == 404


def test_progress_page_with_contacts_keeps_a_fixed_number_of_queries(
    client, world, version, django_assert_max_num_queries
):
    def make(n):
        schools = [SchoolFactory(wijk=WijkFactory(name=f"W{i}")) for i in range(n)]
        for school in schools:
            UserFactory(role=Role.SCHOOL, schools=[school])
            invite_user(
                email=f"x{school.pk}@example.org", role=Role.SCHOOL, schools=[school], actor=None
            )
        return make_round(version=version, schools=schools, name=f"Ronde {n}")

    small, large = make(3), make(30)
    client.force_login(world.user("staff"))
    counts = []
    for round_ in (small, large):
        url = reverse("rounds:progress", kwargs={"pk": round_.pk})
        with django_assert_max_num_queries(12) as captured:
            response = client.get(url)
        counts.append(len(captured.captured_queries))
        assert response.content.decode().count("kan inloggen</span>") >= len(
            round_.invited_schools.all()
        )
    assert counts[0] == counts[1]
