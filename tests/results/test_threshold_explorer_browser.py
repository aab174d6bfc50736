"""The threshold explorer in a real browser, as staff and as a board user: the slider moved with
the mouse and with the arrow keys alone shows the figures of every threshold it passes, the form
works without JavaScript, the round keeps its threshold, axe-core finds nothing, and a 375 px
phone screen does not scroll sideways.

The expected figures are computed here from the stored answers with `scoring.score_scan` (not
from the aggregate rows the page reads), and formatted independently of the page's filters."""

import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from selfscan.accounts.models import Role
from selfscan.norms.models import ScaleLevel, Statement
from selfscan.results.models import AggregateRow
from selfscan.results.scoring import StatementInfo, score_scan
from selfscan.scans.models import Answer, Scan
from tests.browser.helpers import axe_violations, external_requests, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLIDER = "#drempel-schuif"


def _shot(role: str, name: str) -> str:
    """Where a screenshot goes, to look at after a run: /tmp/explorer-<role>-<name>.png."""
    return str(Path(tempfile.gettempdir()) / f"explorer-{role}-{name}.png")


def _dutch_pct(count: int, scored: int) -> str:
    value = (Decimal(100 * count) / Decimal(scored)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value}%".replace(".", ",")


def _expected(round_: Any, threshold: int, bestuur: Any = None) -> dict[str, Any]:
    """Per sector and for all schools the summary line, and per theme (in the page's order)
    the share, of the submitted scans at `threshold`, from the answers themselves."""
    scans = Scan.objects.filter(round=round_, status=Scan.Status.SUBMITTED)
    if bestuur is not None:
        scans = scans.filter(bestuur=bestuur)
    groups: dict[str, list[int]] = {}  # sector -> [meeting, scored]
    themes: dict[int, list[int]] = {}
    for scan in scans:
        infos = [
            StatementInfo(s.pk, s.theme_id, s.counts_for_norm)
            for s in Statement.objects.filter(version=scan.norm_version)
        ]
        codes = frozenset(
            ScaleLevel.objects.filter(version=scan.norm_version, sufficient=True).values_list(
                "code", flat=True
            )
        )
        answers = dict(Answer.objects.filter(scan=scan).values_list("statement_id", "value"))
        score = score_scan(answers, infos, codes, threshold=threshold)
        if score.norm.answered:
            for key in (scan.sector, "all"):
                group = groups.setdefault(key, [0, 0])
                group[0] += bool(score.meets)
                group[1] += 1
        for theme_id, tally in score.themes.items():
            if tally.answered:
                theme = themes.setdefault(theme_id, [0, 0])
                theme[0] += bool(tally.meets(threshold))
                theme[1] += 1
    lines = []
    for key in ("PO", "VO", "SV", "all"):
        if key in groups:
            label = "Alle scholen" if key == "all" else key
            count, scored = groups[key]
            share = _dutch_pct(count, scored)
            lines.append(f"{label}: {share} van de scholen zou voldoen ({count} van {scored}).")
    theme_order = [t.pk for t in round_.version_po.themes.order_by("order")]  # one version
    theme_shares = [
        _dutch_pct(*themes[pk]) if pk in themes and themes[pk][1] else "–" for pk in theme_order
    ]
    return {"lines": lines, "themes": theme_shares}


def _shown(page: Any) -> dict[str, Any]:
    return {
        "heading": page.locator("#gekozen").inner_text().strip(),
        "lines": [li.strip() for li in page.locator("#drempel-gekozen li").all_inner_texts()],
        "themes": [c.strip() for c in page.locator("td.chosen-column").all_inner_texts()],
        "bold_rows": page.locator("tr[data-drempel].total").evaluate_all(
            "rows => rows.map(r => r.dataset.drempel)"
        ),
        "theme_head": page.locator("#thema-gekozen").inner_text().strip(),
    }


def _assert_figures(page: Any, round_: Any, threshold: int, bestuur: Any = None) -> None:
    shown = _shown(page)
    expected = _expected(round_, threshold, bestuur)
    assert shown["heading"] == f"Bij een drempel van {threshold}%"
    assert shown["lines"] == expected["lines"]
    assert shown["themes"] == expected["themes"]
    assert shown["bold_rows"] == [str(threshold)]
    assert shown["theme_head"] == f"Bij {threshold}% (gekozen)"
    assert page.locator("#id_drempel").input_value() == str(threshold)


def _slider_value(page: Any) -> int:
    return int(page.locator(SLIDER).input_value())


def _aggregates() -> list[tuple[Any, ...]]:
    return list(
        AggregateRow.objects.values_list("pk", "meeting", "sufficient", "answered").order_by("pk")
    )


def _no_sideways_scroll(page: Any) -> bool:
    return bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


@pytest.mark.parametrize("role", ["staff", "board"])
def test_slider_by_mouse_and_keyboard_shows_the_right_figures(page, live_server, ten_schools, role):
    round_ = ten_schools.round
    if role == "staff":
        user, bestuur = UserFactory(role=Role.STAFF), None
        path = f"/resultaten/{round_.pk}/stad/drempel/"
    else:
        bestuur = ten_schools.besturen["B1"]
        user = UserFactory(role=Role.BOARD, besturen=[bestuur])
        path = f"/resultaten/{round_.pk}/bestuur/{bestuur.pk}/drempel/"
    login(page, live_server.url, user.email)
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    before = _aggregates()
    assert before, "the page stored the round's aggregates"

    slider = page.locator(SLIDER)
    assert slider.is_visible()  # the script showed it
    assert _slider_value(page) == 85
    _assert_figures(page, round_, 85, bestuur)
    assert axe_violations(page) == []
    assert external_requests(page, live_server.url) == []
    page.screenshot(path=_shot(role, "desktop"), full_page=True)

    # Mouse: drag the thumb past the left end of the track (50%), then click 30% along it (~65%).
    box = slider.bounding_box()
    thumb_x = box["x"] + box["width"] * (85 - 50) / 50
    middle_y = box["y"] + box["height"] / 2
    page.mouse.move(thumb_x, middle_y)
    page.mouse.down()
    page.mouse.move(box["x"] - 30, middle_y, steps=8)
    page.mouse.up()
    assert _slider_value(page) == 50
    _assert_figures(page, round_, 50, bestuur)
    page.mouse.click(box["x"] + box["width"] * 0.3, middle_y)
    clicked = _slider_value(page)
    assert 60 <= clicked <= 70, clicked
    _assert_figures(page, round_, clicked, bestuur)
    assert f"drempel={clicked}" in page.url  # the address follows, so a reload keeps it

    # Keyboard only: a fresh page, Tab until the slider has focus, then the arrow keys.
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    for _press in range(60):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == (
            "drempel-schuif"
        ):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the slider cannot be reached with the Tab key")
    for _press in range(5):
        page.keyboard.press("ArrowRight")
    assert _slider_value(page) == 90
    _assert_figures(page, round_, 90, bestuur)
    for _press in range(8):
        page.keyboard.press("ArrowLeft")
    assert _slider_value(page) == 82
    _assert_figures(page, round_, 82, bestuur)
    page.keyboard.press("End")
    assert _slider_value(page) == 100
    _assert_figures(page, round_, 100, bestuur)
    page.keyboard.press("Home")
    assert _slider_value(page) == 50
    _assert_figures(page, round_, 50, bestuur)
    # the chart's "chosen" line followed the slider
    marker = page.evaluate("() => document.getElementById('drempelverkenner').layout.shapes[1].x0")
    assert marker == 50
    assert axe_violations(page) == []
    page.screenshot(path=_shot(role, "keyboard"), full_page=True)

    # A 375 px phone: the page itself does not scroll sideways (wide tables scroll in their box).
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + path + "?drempel=80")
    page.wait_for_load_state("networkidle")
    assert _no_sideways_scroll(page)
    assert page.locator(SLIDER).is_visible()
    _assert_figures(page, round_, 80, bestuur)
    assert axe_violations(page) == []
    page.screenshot(path=_shot(role, "phone"), full_page=True)

    round_.refresh_from_db()
    assert round_.threshold_percent == 85
    assert _aggregates() == before


@pytest.mark.parametrize("role", ["staff", "board"])
def test_form_works_without_javascript(browser, live_server, ten_schools, role):
    round_ = ten_schools.round
    if role == "staff":
        user, bestuur = UserFactory(role=Role.STAFF), None
        path = f"/resultaten/{round_.pk}/stad/drempel/"
    else:
        bestuur = ten_schools.besturen["B1"]
        user = UserFactory(role=Role.BOARD, besturen=[bestuur])
        path = f"/resultaten/{round_.pk}/bestuur/{bestuur.pk}/drempel/"
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, live_server.url, user.email)
        page.goto(live_server.url + path)
        before = _aggregates()
        assert not page.locator(SLIDER).is_visible()  # nothing to slide without the script
        _assert_figures(page, round_, 85, bestuur)
        page.fill("#id_drempel", "90")
        with page.expect_navigation():
            page.click("#drempel-form button[type=submit]")
        assert "drempel=90" in page.url
        _assert_figures(page, round_, 90, bestuur)
        page.fill("#id_drempel", "77")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        _assert_figures(page, round_, 77, bestuur)
        # a bad value: a Dutch message, the typed value kept, the figures of the round's threshold
        page.fill("#id_drempel", "120")
        with page.expect_navigation():
            page.click("#drempel-form button[type=submit]")
        assert "Kies een drempel van 50 tot en met 100 procent" in page.inner_text("main")
        assert page.locator("#id_drempel").input_value() == "120"
        assert page.locator("#gekozen").inner_text().strip() == "Bij een drempel van 85%"
        page.set_viewport_size({"width": 375, "height": 812})
        assert _no_sideways_scroll(page)
        page.screenshot(path=_shot(role, "nojs"), full_page=True)
        round_.refresh_from_db()
        assert round_.threshold_percent == 85
        assert _aggregates() == before
    finally:
        context.close()
