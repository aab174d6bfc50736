"""Annual report and threshold explorer at 7,000 schools, against the city page's read time.

    uv run python benchmarks/annual_report.py [--sizes 7000] [--repeat 3] [--school-report]

Uses a throw-away SQLite database (SELFSCAN_VAR_DIR in a temporary directory; set it to reuse a
database that already holds the generated rounds) unless DATABASE_URL is set. The rounds come
from benchmarks/generate.py (N schools × 70 statements, a previous round of the same size); the
aggregates are stored first (as the worker or a submit stores them), then it times, best of
`--repeat`:

- city page read: reading every non-school stored row (as benchmarks/RESULTS.md defines it);
- city dashboard, first load: the first `selectors.city_dashboard` call after the rows were
  stored afresh, with the current round open and then published (its 0-meting published),
  beside a read of the same rows right after it; best of `--repeat` fresh stores;
- city dashboard: the same call, best of `--repeat`; and, for comparison, the same with the
  per-statement tallies tallied from the answers (as before docs/decisions/0230);
- annual report data: `annual.annual_report` (dashboard, earlier round, sensitivity, text);
- annual report XLSX and PDF: data plus writing the workbook / rendering the PDF (WeasyPrint;
  the first PDF of the process is not timed: it imports WeasyPrint and its fonts);
- threshold explorer: `selectors.threshold_explorer` for staff (51 thresholds, every theme);
- with `--school-report`: one PO school's report PDF (`report.add_charts` + WeasyPrint).

Prints Markdown tables to paste into benchmarks/RESULTS.md.
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SELFSCAN_VAR_DIR", tempfile.mkdtemp(prefix="selfscan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402

from benchmarks.generate import generate  # noqa: E402
from selfscan.accounts.models import Role, User  # noqa: E402
from selfscan.results import annual, selectors  # noqa: E402
from selfscan.results.models import AggregateRow, ResultState, StatementTally  # noqa: E402
from selfscan.results.services import compute_now, invalidate_round_results  # noqa: E402
from selfscan.rounds.models import Round  # noqa: E402


def best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def pdf(round_: Round) -> bytes:
    return annual.to_pdf(annual.annual_report(round_))


def once(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _store(round_: Round, status: str) -> None:
    """Give the round `status` and store its rows (as the worker does), outside the timing."""
    round_.status = status
    round_.save(update_fields=["status"])
    compute_now(round_)


def dashboard_first_loads(current: Round, previous: Round, repeat: int) -> dict[str, float]:
    """The city dashboard's first load beside the stored-row read, open and published.

    Each repetition discards the round's rows, stores them again (as the worker does, not
    timed), then times the first `city_dashboard` call and a read of the same rows; best of
    `repeat` of each."""
    out = {}
    _store(previous, Round.Status.PUBLISHED)

    def read() -> None:
        list(AggregateRow.objects.filter(round=current).exclude(level="school"))

    for label, status in (("open", Round.Status.OPEN), ("published", Round.Status.PUBLISHED)):
        firsts, reads = [], []
        for _ in range(repeat):
            invalidate_round_results(current.pk)
            _store(current, status)
            assert ResultState.objects.filter(round=current).exists()
            firsts.append(once(lambda: selectors.city_dashboard(current)))
            reads.append(once(read))
        out[f"first_{label}"] = min(firsts)
        out[f"read_{label}"] = min(reads)
        out[f"best_{label}"] = best(lambda: selectors.city_dashboard(current), repeat)
    # For comparison: the change since the 0-meting tallied from the answers (the fallback for
    # rows stored before decision 0230, and what every load did before it).
    kept = list(StatementTally.objects.filter(round__in=[current, previous]))
    StatementTally.objects.filter(round__in=[current, previous]).delete()
    out["tallied"] = best(lambda: selectors.city_dashboard(current), max(1, repeat // 2))
    StatementTally.objects.bulk_create(kept)
    return out


def school_report_pdf(round_: Round, user: Any) -> bytes:
    from weasyprint import HTML

    from selfscan.results import report
    from selfscan.scans.models import Scan

    scan = Scan.objects.filter(round=round_, status=Scan.Status.SUBMITTED, sector="PO").first()
    assert scan is not None
    context = report.add_charts(selectors.school_report(user, scan))
    html = render_to_string("results/school_report_pdf.html", context)
    return bytes(HTML(string=html).write_pdf())


def measure(size: int, repeat: int, school_report: bool) -> dict[str, float]:
    current, previous, _generated = generate(size)
    out = dashboard_first_loads(current, previous, repeat)
    staff = User.objects.filter(role=Role.STAFF).first() or User.objects.create_user(
        email="bench-staff@example.org", password=None, role=Role.STAFF
    )
    pdf(current)  # imports WeasyPrint and loads its fonts: once per process, not timed
    out.update(
        {
            "city_page_read": best(
                lambda: list(AggregateRow.objects.filter(round=current).exclude(level="school")),
                repeat,
            ),
            "city_dashboard": best(lambda: selectors.city_dashboard(current), repeat),
            "report_data": best(lambda: annual.annual_report(current), repeat),
            "report_xlsx": best(lambda: annual.to_xlsx(annual.annual_report(current)), repeat),
            "report_pdf": best(lambda: pdf(current), repeat),
            "explorer": best(lambda: selectors.threshold_explorer(staff, current, 80), repeat),
        }
    )
    if school_report:
        out["school_pdf"] = best(lambda: school_report_pdf(current, staff), max(1, repeat // 2))
    out["pdf_bytes"] = float(len(pdf(current)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[7000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--school-report", action="store_true", help="also time one school's report PDF"
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    translation.activate("nl")
    print(
        f"Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPU cores, database {connection.vendor}; "
        f"load average before {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    results = {size: measure(size, args.repeat, args.school_report) for size in args.sizes}
    print()
    print(
        "| schools | round | city page read | city dashboard, first load | first load / read "
        "| city dashboard, best | best / read | tallied from the answers (before) |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, m in results.items():
        for label in ("open", "published"):
            read = m[f"read_{label}"]
            before = f"{m['tallied'] * 1000:,.0f} ms" if label == "published" else "–"
            print(
                f"| {size:,} | {label} | {read * 1000:,.0f} ms "
                f"| {m[f'first_{label}'] * 1000:,.0f} ms | {m[f'first_{label}'] / read:.2f}× "
                f"| {m[f'best_{label}'] * 1000:,.0f} ms | {m[f'best_{label}'] / read:.2f}× "
                f"| {before} |"
            )
    print()
    print(
        "| schools | city page read | city dashboard | annual report data | XLSX | PDF "
        "| XLSX / city read | PDF / city read | threshold explorer | PDF size |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, m in results.items():
        read = m["city_page_read"]
        print(
            f"| {size:,} | {read * 1000:,.0f} ms | {m['city_dashboard'] * 1000:,.0f} ms "
            f"| {m['report_data'] * 1000:,.0f} ms | {m['report_xlsx'] * 1000:,.0f} ms "
            f"| {m['report_pdf'] * 1000:,.0f} ms | {m['report_xlsx'] / read:.1f}× "
            f"| {m['report_pdf'] / read:.1f}× | {m['explorer'] * 1000:,.0f} ms "
            f"| {m['pdf_bytes'] / 1024:,.0f} KB |"
        )
        if "school_pdf" in m:
            print(f"\nOne school's report PDF at {size:,}: {m['school_pdf'] * 1000:,.0f} ms")
    print(f"\nload average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
