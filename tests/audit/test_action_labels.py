import pytest

from selfscan.audit.labels import ACTION_LABELS, action_label
from selfscan.audit.services import record


def test_known_codes_have_dutch_labels_and_unknown_codes_show_as_they_are():
    assert action_label("round.opened") == "Meetronde geopend"
    assert action_label("something.new") == "something.new"


@pytest.mark.django_db
def test_audit_log_page_shows_labels_not_codes(client, world):
    record(actor=world.user("staff"), action="scan.reopened", obj=world.school_a1)
    client.force_login(world.user("staff"))
    html = client.get("/auditlog/").content.decode()
    assert "<td>Zelfscan heropend</td>" in html
    assert '<option value="scan.reopened">Zelfscan heropend</option>' in html


def test_every_action_code_written_by_the_code_has_a_label():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "selfscan"
    written = set()
    for path in root.rglob("*.py"):
        text = path.read_text()
        written |= set(re.findall(r'record\([^)]*?action="([a-z_.]+)"', text, flags=re.S))
    assert written, "no record(...) calls found: the pattern is wrong"
    assert sorted(written - set(ACTION_LABELS)) == []
