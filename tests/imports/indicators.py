"""Entering scans the way a school team does (through the scan pages and the submit view) and
reading indicators the way the reports do (`selfscan.results.aggregation`), for the equivalence
tests of the round import."""

from collections.abc import Mapping

import pandas as pd
from django.test import Client
from django.urls import reverse

from selfscan.norms.models import NVT_CODE, Statement
from selfscan.results.aggregation import aggregate_round
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan

NVT_REASON = "Geen leerlingen met deze ondersteuningsbehoefte"


def enter_scan_through_pages(
    client: Client, scan: Scan, answers: Mapping[str, tuple[str, str]]
) -> None:
    """Save every answer (code -> (value, comment)) through the autosave endpoint, as the scan
    page does, then submit through the submit view when every applicable statement is answered.
    `client` is logged in as a member of the school's team."""
    statements = {s.code: s for s in Statement.objects.filter(version=scan.norm_version)}
    save_url = reverse("scans:save", kwargs={"pk": scan.pk})
    for code, (value, comment) in answers.items():
        if not value:
            continue
        response = client.post(
            save_url,
            {
                "statement": statements[code].pk,
                "value": value,
                "comment": comment,
                "nvt_explanation": NVT_REASON if value == NVT_CODE else "",
                "version": 0,
            },
        )
        assert response.status_code == 200, response.content
    applicable = {code for code, s in statements.items() if scan.sector in s.sectors}
    if applicable <= {code for code, (value, _c) in answers.items() if value}:
        response = client.post(reverse("scans:submit", kwargs={"pk": scan.pk}), {"confirm": "1"})
        assert response.status_code == 302
        scan.refresh_from_db()
        assert scan.status == Scan.Status.SUBMITTED


def indicators(round_: Round) -> pd.DataFrame:
    """Every indicator at every level (school, wijk, stadsdeel, bestuur, sector, city) and per
    theme, as the results pages compute them, in a stable order for comparison."""
    frame = aggregate_round(round_.pk, threshold=round_.threshold_percent)
    return frame.sort_values(["level", "key", "theme_id"]).reset_index(drop=True)
