"""Print the crawler's figures in pytest's terminal summary, so CI's log shows them."""

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.crawler.test_crawler import LAST_REPORT

    for report in LAST_REPORT:
        terminalreporter.write_line(
            f"crawler: {report.pages} pages, {len(report.states)} states, "
            f"{report.axe_checked} templates axe-checked"
        )
        for line in report.timings:
            terminalreporter.write_line(f"  {line}")
