"""On the demo, the figures the API returns equal the dashboards' (the pages' own context)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from selfscan.accounts.models import User
from selfscan.results.aggregation import CITY_KEY
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db(transaction=True)

DEMO = "@demo.passendonderwijsalmere.nl"


def share(row):
    return row.sufficient / row.answered if row is not None and row.answered else None


def rows_by(client, round_id, **params):
    response = client.get(f"/api/v1/rounds/{round_id}/results/", {"page_size": 1000, **params})
    assert response.status_code == 200
    return {(r["level"], r["group_id"], r["theme_id"]): r for r in response.json()["results"]}


def test_api_figures_equal_the_dashboards_on_the_demo(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", stdout=io.StringIO())
    round_ = Round.objects.filter(scans__status=Scan.Status.SUBMITTED).distinct().latest("opens_on")

    # the city dashboard (staff) against the staff token's rows
    staff = User.objects.get(email=f"swv{DEMO}")
    client.force_login(staff)
    city_page = client.get(reverse("results:city_dashboard", args=[round_.pk])).context
    api = rows_by(token_client(staff), round_.pk, theme="norm")
    compared = 0
    for level in ("sectors", "wijken", "stadsdelen", "besturen"):
        for row in city_page[level]:
            mine = api[(row.level, row.key, None)]
            assert mine["share_sufficient"] == pytest.approx(share(row))
            assert (mine["scored"], mine["meeting"]) == (row.scored, row.meeting)
            compared += 1
    assert api[("city", CITY_KEY, None)]["scored"] == city_page["city"].scored
    assert compared > 10

    # the board dashboard (board staff) against the board token's rows and board route
    board = User.objects.get(email=f"bestuur{DEMO}")
    bestuur = board.besturen.get()
    client.force_login(board)
    page = client.get(reverse("results:board_dashboard", args=[round_.pk, bestuur.pk])).context
    board_client = token_client(board)
    api = rows_by(board_client, round_.pk)
    assert page["own"].visible
    own = api[("bestuur", str(bestuur.pk), None)]
    assert own["share_sufficient"] == pytest.approx(share(page["own"].row))
    assert own["suppressed"] is False
    assert api[("city", CITY_KEY, None)]["share_sufficient"] == pytest.approx(
        share(page["city"].row)
    )
    for line in page["lines"]:
        mine = api[("school", str(line.school_id), None)]
        assert mine["share_sufficient"] == pytest.approx(line.share)
        for theme, cell in zip(page["themes"], line.cells, strict=True):
            theirs = api.get(("school", str(line.school_id), theme.pk))
            assert (theirs or {}).get("share_sufficient") == pytest.approx(share(cell))
    route = board_client.get(f"/api/v1/rounds/{round_.pk}/besturen/{bestuur.pk}/results/").json()
    assert [s["school_id"] for s in route["schools"]] == [line.school_id for line in page["lines"]]
    assert route["bestuur"]["share_sufficient"] == pytest.approx(share(page["own"].row))
    assert len(page["lines"]) > 3

    # a school's overview against the school route
    school_user = User.objects.get(email=f"school{DEMO}")
    scan = (
        Scan.objects.filter(
            round=round_, school__in=school_user.schools.all(), status=Scan.Status.SUBMITTED
        ).first()
        or Scan.objects.filter(round=round_, status=Scan.Status.SUBMITTED).first()
    )
    viewer = school_user if scan.school in school_user.schools.all() else staff
    client.force_login(viewer)
    page = client.get(reverse("results:school_overview", args=[round_.pk, scan.school_id])).context
    route = (
        token_client(viewer)
        .get(f"/api/v1/rounds/{round_.pk}/schools/{scan.school_id}/results/")
        .json()
    )
    assert route["norm"]["share_sufficient"] == pytest.approx(share(page["norm_row"]))
    for line, theme in zip(page["lines"], route["themes"], strict=True):
        assert theme["theme_id"] == line.theme.pk
        assert theme["school"]["share_sufficient"] == pytest.approx(share(line.school))
        assert theme["meets_threshold"] == line.meets

    # progress: the page's counts against the progress rows
    client.force_login(staff)
    progress = (
        token_client(staff).get(f"/api/v1/rounds/{round_.pk}/progress/", {"page_size": 1000}).json()
    )
    statuses = [r["status"] for r in progress["results"]]
    assert progress["count"] == round_.scans.count()
    assert (
        statuses.count(Scan.Status.SUBMITTED)
        == round_.scans.filter(status=Scan.Status.SUBMITTED).count()
    )
