"""Annual report and threshold explorer at 7,000 schools, against the city page's read time.

    uv run python benchmarks/annual_report.py [--sizes 7000] [--repeat 3]

Uses a throw-away SQLite database (SELFSCAN_VAR_DIR in a temporary directory) unless
DATABASE_URL is set. The rounds come from benchmarks/generate.py (N schools × 70 statements, a
previous round of the same size); the aggregates are stored first (as a published round's
are), then it times, best of `--repeat`:

- city page read: reading every non-school stored row (as benchmarks/RESULTS.md defines it);
- city dashboard: the whole `selectors.city_dashboard` context;
- annual report data: `annual.annual_report` (dashboard, earlier round, sensitivity, text);
- annual report XLSX and PDF: data plus writing the workbook / rendering the PDF (WeasyPrint);
- threshold explorer: `selectors.threshold_explorer` for staff (51 thresholds, every theme).

Prints a Markdown table to paste into benchmarks/RESULTS.md.
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
from selfscan.results.models import AggregateRow  # noqa: E402
from selfscan.results.services import ensure_results  # noqa: E402
from selfscan.rounds.models import Round  # noqa: E402


def best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def pdf(round_: Round) -> bytes:
    from weasyprint import HTML

    context = annual.annual_report(round_)
    context.update(annual.pdf_charts(context))
    context["groups"] = [
        ("Per wijk", "Wijk", context["wijk_lines"]),
        ("Per stadsdeel", "Stadsdeel", context["stadsdeel_lines"]),
        ("Per bestuur", "Bestuur", context["bestuur_lines"]),
    ]
    html = render_to_string("results/annual_report_pdf.html", context)
    return bytes(HTML(string=html).write_pdf())


def measure(size: int, repeat: int) -> dict[str, float]:
    current, previous, _generated = generate(size)
    for round_ in (previous, current):
        round_.status = Round.Status.PUBLISHED
        round_.save(update_fields=["status"])
        ensure_results(round_)
    staff = User.objects.filter(role=Role.STAFF).first() or User.objects.create_user(
        email="bench-staff@example.org", password=None, role=Role.STAFF
    )
    out = {
        "city_page_read": best(
            lambda: list(AggregateRow.objects.filter(round=current).exclude(level="school")),
            repeat,
        ),
        "city_dashboard": best(lambda: selectors.city_dashboard(current), repeat),
        "report_data": best(lambda: annual.annual_report(current), repeat),
        "report_xlsx": best(lambda: annual.to_xlsx(annual.annual_report(current)), repeat),
        "report_pdf": best(lambda: pdf(current), max(1, repeat // 2)),
        "explorer": best(lambda: selectors.threshold_explorer(staff, current, 80), repeat),
    }
    out["pdf_bytes"] = float(len(pdf(current)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[7000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    translation.activate("nl")
    print(
        f"Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPU cores, database {connection.vendor}; "
        f"load average before {os.getloadavg()[0]:.1f}"
    )
    print()
    print(
        "| schools | city page read | city dashboard | annual report data | XLSX | PDF "
        "| XLSX / city read | PDF / city read | threshold explorer |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        m = measure(size, args.repeat)
        read = m["city_page_read"]
        print(
            f"| {size:,} | {read * 1000:,.0f} ms | {m['city_dashboard'] * 1000:,.0f} ms "
            f"| {m['report_data'] * 1000:,.0f} ms | {m['report_xlsx'] * 1000:,.0f} ms "
            f"| {m['report_pdf'] * 1000:,.0f} ms | {m['report_xlsx'] / read:.1f}× "
            f"| {m['report_pdf'] / read:.1f}× | {m['explorer'] * 1000:,.0f} ms |",
            flush=True,
        )
    print(f"\nload average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
