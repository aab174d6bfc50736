"""A board's token reads only its own schools' results through every API route; another
board's ids answer 404; the small-group rule of the pages holds in the API."""

import pytest

from selfscan.results.aggregation import CITY_KEY
from tests.api.conftest import token_client
from tests.results.world import world_round

pytestmark = pytest.mark.django_db


def results(client, round_id, **params):
    response = client.get(f"/api/v1/rounds/{round_id}/results/", {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_board_token_reads_only_its_own_schools(world):
    round_ = world_round(world)
    board = token_client(world.user("board"))
    rows = results(board, round_.pk)
    schools = {r["group_id"] for r in rows if r["level"] == "school"}
    assert schools == {str(world.school_a1.pk), str(world.school_a2.pk)}
    besturen = {r["group_id"] for r in rows if r["level"] == "bestuur"}
    assert besturen == {str(world.bestuur_a.pk)}

    own = f"/api/v1/rounds/{round_.pk}"
    assert board.get(f"{own}/schools/{world.school_a1.pk}/results/").status_code == 200
    assert board.get(f"{own}/schools/{world.school_b1.pk}/results/").status_code == 404
    assert board.get(f"{own}/besturen/{world.bestuur_a.pk}/results/").status_code == 200
    assert board.get(f"{own}/besturen/{world.bestuur_b.pk}/results/").status_code == 404
    assert board.get(f"{own}/results/", {"bestuur": world.bestuur_b.pk}).status_code == 404
    assert board.get(f"{own}/progress/", {"bestuur": world.bestuur_b.pk}).status_code == 404
    progress = board.get(f"{own}/progress/").json()["results"]
    assert {p["school_id"] for p in progress} == {world.school_a1.pk, world.school_a2.pk}
    csv = board.get(f"{own}/results/", {"format": "csv"}).content.decode("utf-8-sig")
    assert world.school_b1.name not in csv
    assert world.school_a1.name in csv

    other = token_client(world.user("other_board"))
    assert other.get(f"{own}/besturen/{world.bestuur_a.pk}/results/").status_code == 404
    assert other.get(f"{own}/schools/{world.school_a1.pk}/results/").status_code == 404
    other_rows = results(other, round_.pk)
    assert {r["group_id"] for r in other_rows if r["level"] == "school"} == {
        str(world.school_b1.pk)
    }


def test_small_groups_are_withheld_from_who_may_not_see_them_all(world):
    """wijk_b holds school_a2 (bestuur_a) and school_b1 (bestuur_b): two schools, fewer than the
    round's minimum of three. The board of bestuur_a does not see school_b1, so the wijk's
    figures are withheld from it; staff see them."""
    round_ = world_round(world)
    assert round_.min_group_size == 3
    board = token_client(world.user("board"))
    wijk_b = [
        r for r in results(board, round_.pk, level="wijk") if r["group_id"] == str(world.wijk_b.pk)
    ]
    assert wijk_b
    for row in wijk_b:
        assert row["suppressed"] is True
        assert row["suppressed_reason"]
        assert row["share_sufficient"] is None
        assert row["sufficient"] is None
        assert row["scored"] is None
    # the city (three schools) is not small: shown
    city = [r for r in results(board, round_.pk, level="city") if r["group_id"] == CITY_KEY]
    assert city and all(not r["suppressed"] and r["scored"] == 3 for r in city)

    staff = token_client(world.user("staff"))
    staff_wijk_b = [
        r for r in results(staff, round_.pk, level="wijk") if r["group_id"] == str(world.wijk_b.pk)
    ]
    assert staff_wijk_b and all(not r["suppressed"] and r["scored"] == 2 for r in staff_wijk_b)


def test_the_school_route_withholds_small_groups_as_the_page_does(world):
    round_ = world_round(world)
    round_.min_group_size = 5
    round_.save()
    school = token_client(world.user("school"))
    data = school.get(f"/api/v1/rounds/{round_.pk}/schools/{world.school_a1.pk}/results/").json()
    assert data["norm"]["suppressed"] is False
    assert data["norm"]["scored"] == 1
    assert data["city"]["suppressed"] is True
    assert data["city"]["share_sufficient"] is None
    assert all(t["city"]["suppressed"] for t in data["themes"])


def test_ids_larger_than_a_database_holds_answer_404(world):
    staff = token_client(world.user("staff"))
    huge = 2**70
    for url in (
        f"/api/v1/rounds/{huge}/",
        f"/api/v1/rounds/{huge}/results/",
        f"/api/v1/rounds/{huge}/schools/{huge}/results/",
        f"/api/v1/norm-versions/{huge}/",
        f"/api/v1/surveys/{huge}/summary/",
    ):
        assert staff.get(url).status_code == 404, url
    round_id = world_round(world).pk
    for param in ("bestuur", "wijk"):
        response = staff.get(f"/api/v1/rounds/{round_id}/results/", {param: 2**70})
        assert response.status_code == 400


def test_statements_table_as_csv_with_lineage(world):
    version = world_round(world).version_po
    school = token_client(world.user("school"))
    response = school.get(f"/api/v1/norm-versions/{version.pk}/statements/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("norm_version_id,theme_id,theme_code,id,code,concept_key,text")
    assert len(lines) == 1 + version.statements.count()
