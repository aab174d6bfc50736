"""Journey 2: two members of one school team fill in the zelfscan at the same time.

Who: Anna, intern begeleider of a primary school, works with the mouse; Dirk, its director,
works with the keyboard only (Tab, Space, arrow keys, Enter). Both open the first theme of the
school's open zelfscan at the same moment, each on their own computer.

Steps and what they must see:
1. Anna clicks answers to the first two statements; each says "Opgeslagen".
2. Dirk, whose page still shows those two statements empty, answers the third statement with
   the arrow keys: "Opgeslagen", no conflict (Anna's answers to other statements do not
   concern him).
3. Dirk then answers the second statement differently from Anna: the page tells him that
   Anna Aarts already chose “Voldoende”, that his answer is “Onvoldoende”, and offers "Hun
   antwoord houden" or "Mijn antwoord opslaan", once. He chooses his own with the keyboard:
   "Opgeslagen"; Anna's first answer is untouched.
4. Dirk goes on with "Volgende" (Enter): the second theme opens, with no "Niet alles is
   opgeslagen" (no false conflict on the statement he never touched).
5. Anna types a reflection and leaves at once through the list of
   themes. She closes her browser.
6. Later, on her phone (a new browser, 375 px wide), she logs in, opens the first theme from
   the list of themes and finds every word of her reflection; "Volgende" takes her
   on without any conflict.
In the database: every answer by the person who gave it, the reflection in full,
and both changes of the second statement in the history.
"""

import pytest
from django.urls import reverse

from selfscan.norms.models import Statement
from selfscan.scans.models import Answer, AnswerChange, Scan, ThemeReflection
from tests.browser.helpers import axe_violations, login
from tests.factories import UserFactory, make_norm_version
from tests.scans.factories import make_round
from tests.scans.test_browser_journey import tab_until, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFLECTION = "We signaleren vroeg, maar we evalueren de plannen te weinig met ouders."


def status(page, statement, text):
    page.wait_for_function(
        "([id, t]) => document.getElementById(id).textContent === t",
        arg=[f"s{statement.pk}-status", text],
    )


def shift_tab_until(page, selector, limit=20):
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab")
    raise AssertionError(f"never reached {selector} with Shift+Tab")


def test_two_team_members_fill_in_one_scan_together(browser, live_server, world):
    version = make_norm_version(key="anbtest", themes=2, statements_per_theme=3, nvt_every=0)
    scan = Scan.objects.get(round=make_round(version=version, schools=[world.school_a1]))
    first, second, third = Statement.objects.filter(version=version, theme__code="T01").order_by(
        "order"
    )
    anna = UserFactory(
        email="anna@example.org", first_name="Anna", last_name="Aarts", schools=[world.school_a1]
    )
    dirk = UserFactory(
        email="dirk@example.org",
        first_name="Dirk",
        last_name="Directeur",
        schools=[world.school_a1],
    )
    base = live_server.url
    t01 = base + reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"})

    pages = {}
    for person in (anna, dirk):
        context = browser.new_context(locale="nl-NL")
        page = context.new_page()
        login(page, base, person.email)
        page.goto(t01)  # both pages show every statement unanswered
        pages[person.pk] = page
    a, d = pages[anna.pk], pages[dirk.pk]

    # 1. Anna, with the mouse
    a.click(f"label[for=s{first.pk}-v3]")
    status(a, first, "Opgeslagen")
    a.click(f"label[for=s{second.pk}-v3]")
    status(a, second, "Opgeslagen")

    # 2. Dirk, keyboard only, on a statement Anna did not touch: no conflict
    tab_until(d, f"input[name='s{third.pk}-value']")
    d.keyboard.press("Space")  # 1
    for _ in range(3):
        d.keyboard.press("ArrowDown")  # 2, 3, 4 Goed
    status(d, third, "Opgeslagen")
    assert d.locator(".conflict").count() == 0

    # 3. Dirk answers the statement Anna answered: a real conflict, shown once, with labels
    tab_until(d, f"input[name='s{second.pk}-value']")
    d.keyboard.press("Space")  # 1 Onvoldoende
    notice = d.locator(f"#s{second.pk} .conflict")
    notice.wait_for()
    text = notice.inner_text()
    assert "Anna Aarts heeft deze stelling op" in text
    assert "“Voldoende”" in text and "Uw antwoord: “Onvoldoende”." in text
    assert text.count("Anna Aarts") == 1
    assert d.locator(f"#s{second.pk}-status").inner_text() == (
        "Niet opgeslagen – kies hieronder welk antwoord blijft"
    )
    assert Answer.objects.get(scan=scan, statement=second).value == "3"  # not overwritten
    assert axe_violations(d) == []
    d.screenshot(path="var/journey2-conflict.png", full_page=True)
    shift_tab_until(d, f"#s{second.pk} .conflict button:not(.secondary)")
    assert d.evaluate("() => document.activeElement.textContent") == "Mijn antwoord opslaan"
    d.keyboard.press("Enter")
    status(d, second, "Opgeslagen")
    assert d.locator(".conflict").count() == 0

    # 4. Dirk goes on: no false conflict on the statement he never touched
    tab_until(d, "#next-button")
    d.keyboard.press("Enter")
    d.wait_for_url("**/invullen/T02/")
    assert "Niet alles is opgeslagen" not in d.content()
    assert "Iemand anders" not in d.content()

    # 5. Anna writes a reflection and leaves through the list of themes at once
    a.click("#reflection-text")
    a.keyboard.type(REFLECTION)
    a.click(".step-list a[href$='/T02/']")
    a.wait_for_url("**/invullen/T02/")
    assert "Niet alles is opgeslagen" not in a.content()
    a.context.close()
    d.context.close()

    # 6. Later, on her phone: every word is there
    wait_for(lambda: ThemeReflection.objects.filter(scan=scan, reflection=REFLECTION).exists())
    phone = browser.new_context(
        locale="nl-NL", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    p = phone.new_page()
    login(p, base, anna.email)
    p.goto(base + reverse("scans:mine"))
    p.click("text=Verder invullen")
    p.wait_for_url("**/invullen/T0*/")
    p.click(".step-list summary")  # the list of themes is folded on a phone
    p.click(".step-list a[href$='/T01/']")
    p.wait_for_url("**/invullen/T01/")
    assert p.input_value("#reflection-text") == REFLECTION
    assert p.is_checked(f"#s{first.pk}-v3")
    assert p.is_checked(f"#s{second.pk}-v1")  # Dirk's knowing choice
    assert p.is_checked(f"#s{third.pk}-v4")
    width = p.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the step page scrolls sideways on a phone ({width}px)"
    assert axe_violations(p) == []
    p.screenshot(path="var/journey2-phone.png", full_page=True)
    p.click("#next-button")
    p.wait_for_url("**/invullen/T02/")
    assert "Niet alles is opgeslagen" not in p.content()
    phone.close()

    answers = {a.statement_id: a for a in Answer.objects.filter(scan=scan)}
    assert (answers[first.pk].value, answers[first.pk].updated_by) == ("3", anna)
    assert (answers[second.pk].value, answers[second.pk].updated_by) == ("1", dirk)
    assert (answers[third.pk].value, answers[third.pk].updated_by) == ("4", dirk)
    reflection = ThemeReflection.objects.get(scan=scan, theme__code="T01")
    assert (reflection.reflection, reflection.updated_by) == (REFLECTION, anna)
    history = AnswerChange.objects.filter(answer__statement=second).order_by("id")
    assert [(c.changed_by, c.old_value, c.new_value) for c in history] == [
        (anna, "", "3"),
        (dirk, "3", "1"),
    ]
