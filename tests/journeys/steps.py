"""Browser steps shared by the journeys: what a person clicks to log in, open, close and
publish a round, and download a file.

The round actions live here on purpose: when the way staff confirm an action changes (a
confirmation page before the POST), only these functions change, not every journey.
"""

from typing import Any

from django.urls import reverse

from selfscan.rounds.models import Round
from tests.browser.helpers import login as _login
from tests.factories import TEST_PASSWORD


def login(page: Any, base_url: str, email: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the login page and check that it worked (the page says who is in)."""
    _login(page, base_url, email, password)
    assert "/account/inloggen/" not in page.url, page.locator("main").inner_text()


def logout(page: Any) -> None:
    page.context.clear_cookies()


def nav(page: Any, label: str) -> None:
    """Click an entry of the main navigation (Hoofdmenu) by its exact label."""
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def go_to_round(page: Any, base_url: str, round_: Round) -> None:
    """From the main navigation, Meetrondes, to the round's page."""
    page.goto(base_url + reverse("core:home"))
    nav(page, "Meetrondes")
    page.get_by_role("link", name=round_.name, exact=True).click()
    page.wait_for_url(f"**{reverse('rounds:detail', kwargs={'pk': round_.pk})}")


def _round_action(
    page: Any, base_url: str, round_: Round, link: str, button: str, message: str
) -> str:
    """Follow the round page's link to the step's confirmation page, confirm, and check the
    message. Returns the consequences the confirmation page stated, for the caller to check."""
    go_to_round(page, base_url, round_)
    page.get_by_role("link", name=link).click()
    page.wait_for_load_state()
    consequences = page.locator(".consequences").first.inner_text()
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert message in page.locator(".messages").inner_text()
    return consequences


def open_round(page: Any, base_url: str, round_: Round) -> str:
    return _round_action(
        page, base_url, round_, "Meetronde openen…", "Ja, meetronde openen",
        "De meetronde is geopend.",
    )  # fmt: skip


def close_round(page: Any, base_url: str, round_: Round) -> str:
    return _round_action(
        page, base_url, round_, "Meetronde sluiten…", "Ja, meetronde sluiten",
        "De meetronde is gesloten.",
    )  # fmt: skip


def publish_round(page: Any, base_url: str, round_: Round) -> str:
    return _round_action(
        page, base_url, round_, "Resultaten publiceren…", "Ja, resultaten publiceren",
        "De meetronde is gepubliceerd.",
    )  # fmt: skip


def round_status(page: Any) -> str:
    """The status the round page shows (the <dd> after "Status")."""
    return page.locator("dl.facts dt:text-is('Status') + dd").inner_text().strip()


def download(page: Any, action: Any) -> tuple[str, bytes]:
    """Run `action` (a click or key press that starts a download); return file name and bytes."""
    with page.expect_download() as info:
        action()
    download = info.value
    path = download.path()
    with open(path, "rb") as handle:
        return download.suggested_filename, handle.read()


def table_rows(page: Any, caption: str) -> list[list[str]]:
    """The cells of each body row of the table with this caption, as the page shows them."""
    table = page.locator("table", has=page.locator("caption", has_text=caption))
    return [
        [cell.strip() for cell in row]
        for row in table.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.cells, c => c.innerText))"
        )
    ]


def tab_to(page: Any, selector: str, limit: int = 120) -> None:
    """Press Tab until the element `selector` (a Playwright selector) has the focus."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"never reached {selector} with Tab")


def screenshot(page: Any, name: str) -> None:
    """Keep a picture of what the person saw (var/journeys/NAME.png) for review."""
    from django.conf import settings

    folder = settings.VAR_DIR / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def keep(name: str, content: bytes) -> None:
    """Keep a downloaded file (var/journeys/NAME) for review beside the screenshots."""
    from django.conf import settings

    folder = settings.VAR_DIR / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
