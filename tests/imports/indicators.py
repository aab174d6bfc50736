"""Stand-ins used by the equivalence tests until the scan pages (issue 6) and the aggregation
(issue 7) are merged; then swap:

- `enter_scan_through_orm` for filling in the scan through the real scan pages and submit service;
- `indicators_from_stored_answers` for `selfscan.results.aggregation`.

Both work only from what is stored, so the tests compare what an import stores with what
entering the same answers stores.
"""

from collections import defaultdict
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from django.utils import timezone

from selfscan.norms.models import NVT_CODE, ScaleLevel, Statement
from selfscan.scans.models import Answer, Scan


def enter_scan_through_orm(scan: Scan, answers: Mapping[str, tuple[str, str]], by: Any) -> None:
    """Answer statement by statement (code -> (value, comment)), then submit when complete."""
    statements = {s.code: s for s in Statement.objects.filter(version=scan.norm_version)}
    for code, (value, comment) in answers.items():
        Answer.objects.create(
            scan=scan, statement=statements[code], value=value, comment=comment, updated_by=by
        )
    applicable = [s for s in statements.values() if scan.sector in s.sectors]
    answered = {code for code, (value, _comment) in answers.items() if value}
    scan.started_at = scan.last_activity_at = timezone.now()
    if all(s.code in answered for s in applicable):
        scan.status = Scan.Status.SUBMITTED
        scan.submitted_at = timezone.now()
        scan.submitted_by = by
    else:
        scan.status = Scan.Status.IN_PROGRESS
    scan.save()


def indicators_from_stored_answers(round: Any) -> dict[str, Any]:
    """Per school and per group (city, sector, wijk, stadsdeel, bestuur) of submitted scans:
    answered and sufficient counts, whether the school meets the threshold, the share of
    schools that meet it and the pooled share of sufficient answers (exact fractions)."""
    sufficient = {
        (version_id, code)
        for version_id, code in ScaleLevel.objects.filter(sufficient=True).values_list(
            "version_id", "code"
        )
    }
    scans = Scan.objects.filter(round=round, status=Scan.Status.SUBMITTED).select_related(
        "school", "wijk", "stadsdeel", "bestuur"
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for scan_id, version_id, value, counts_for_norm in Answer.objects.filter(
        scan__in=scans
    ).values_list("scan_id", "scan__norm_version_id", "value", "statement__counts_for_norm"):
        if not value or value == NVT_CODE or not counts_for_norm:
            continue
        counts[scan_id][0] += 1
        counts[scan_id][1] += (version_id, value) in sufficient
    threshold = round.threshold_percent
    schools: dict[str, dict[str, Any]] = {}
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for scan in scans:
        answered, good = counts[scan.pk]
        school = {
            "answered": answered,
            "sufficient": good,
            "meets": answered > 0 and 100 * good >= threshold * answered,
        }
        schools[scan.school.vestigingscode] = school
        for level, name in [
            ("stad", "Almere"),
            ("sector", scan.sector),
            ("wijk", scan.wijk.name if scan.wijk else "-"),
            ("stadsdeel", scan.stadsdeel.name if scan.stadsdeel else "-"),
            ("bestuur", scan.bestuur.name),
        ]:
            groups[(level, name)].append(school)
    summary = {
        f"{level}:{name}": {
            "schools": len(members),
            "share_meeting": Fraction(sum(m["meets"] for m in members), len(members)),
            "pooled_sufficient": Fraction(
                sum(m["sufficient"] for m in members), sum(m["answered"] for m in members) or 1
            ),
        }
        for (level, name), members in groups.items()
    }
    return {"schools": schools, "groups": summary}
