"""The word-level diff used on the what-changed page."""

from hypothesis import given
from hypothesis import strategies as st

from selfscan.norms.selectors import word_diff

words = st.lists(st.sampled_from(["de", "school", "zorg", "ondersteuning", "leerling", "heeft"]))


@given(words, words)
def test_both_texts_can_be_rebuilt_from_the_diff(old, new):
    parts = word_diff(" ".join(old), " ".join(new))
    before = " ".join(p.text for p in parts if p.kind in {"same", "removed"} and p.text)
    after = " ".join(p.text for p in parts if p.kind in {"same", "added"} and p.text)
    assert before.split() == old
    assert after.split() == new


def test_reworded_statement_marks_only_the_changed_words():
    parts = word_diff(
        "Verbeterpunten voor de zorg staan in het jaarplan.",
        "Verbeterpunten voor de ondersteuning staan in het jaarplan.",
    )
    assert [(p.kind, p.text) for p in parts] == [
        ("same", "Verbeterpunten voor de"),
        ("removed", "zorg"),
        ("added", "ondersteuning"),
        ("same", "staan in het jaarplan."),
    ]
