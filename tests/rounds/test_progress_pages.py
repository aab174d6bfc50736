"""The progress page shows one page of schools at a time; counts, filters, search and the
export still cover every school (issue 18)."""

import pytest
from django.urls import reverse

from selfscan.rounds.views import PROGRESS_PAGE_SIZE
from tests.factories import SchoolFactory, make_norm_version
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db


def test_a_large_round_is_paged_and_search_and_export_cover_every_school(client, world):
    version = make_norm_version(key="pages", themes=1, statements_per_theme=2, nvt_every=0)
    schools = [SchoolFactory(name=f"Pagina school {i:03d}") for i in range(PROGRESS_PAGE_SIZE + 5)]
    round_ = make_round(version=version, schools=schools)
    client.force_login(world.user("staff"))
    url = reverse("rounds:progress", kwargs={"pk": round_.pk})
    first = client.get(url).content.decode()
    assert first.count("Pagina school ") == PROGRESS_PAGE_SIZE
    assert "Pagina 1 van 2" in first and "pagina=2" in first
    second = client.get(url, {"pagina": 2}).content.decode()
    assert second.count("Pagina school ") == 5
    assert "Pagina school 104" in second
    # the search looks through every school, not only the first page
    found = client.get(url, {"q": "school 104"}).content.decode()
    assert found.count("Pagina school ") == 1 and "Pagina 1 van" not in found
    export = client.get(
        reverse("rounds:progress_export", kwargs={"pk": round_.pk, "file_format": "csv"})
    )
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert body.decode("utf-8-sig", errors="replace").count("Pagina school ") == len(schools)
