"""Plain parsing rules: answer spellings, formula guards, column letters, header detection."""

import string

from hypothesis import given
from hypothesis import strategies as st

from selfscan.core.spreadsheets import safe_cell
from selfscan.imports import parsing
from tests.factories import DEFAULT_SCALE

SCALE = [(code, label) for code, label, _ok in DEFAULT_SCALE]
LOOKUP = parsing.answer_lookup(SCALE, "NVT", "Niet van toepassing")


def mangle(text: str, data) -> str:
    """Random case per letter and random spaces around."""
    cased = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in text)
    pad = st.text(alphabet=" \t", max_size=3)
    return data.draw(pad) + cased + data.draw(pad)


@given(st.data())
def test_labels_and_codes_in_any_case_and_spacing(data):
    code, label = data.draw(st.sampled_from(SCALE))
    spelled = mangle(data.draw(st.sampled_from([code, label])), data)
    assert LOOKUP[parsing.answer_key(spelled)] == code


@given(st.data())
def test_every_nvt_spelling_means_nvt(data):
    word = data.draw(st.sampled_from(["nvt", "n.v.t.", "NVT", "n.v.t", "Niet van toepassing"]))
    assert LOOKUP[parsing.answer_key(mangle(word, data))] == "NVT"


def test_unknown_answers_are_not_found():
    for text in ["5", "0", "voldoende!", "ja", "3,5", "n.v."]:
        assert parsing.answer_key(text) not in LOOKUP


@given(st.text().filter(lambda t: not t.startswith("'")))
def test_formula_guard_of_exports_is_undone(text):
    assert parsing.unescape_formula_guard(safe_cell(text)) == text


@given(st.integers(min_value=0, max_value=20000))
def test_column_letters_are_bijective_base26(index):
    letters = parsing.column_letter(index)
    assert set(letters) <= set(string.ascii_uppercase)
    value = 0
    for char in letters:
        value = value * 26 + (ord(char) - 64)
    assert value - 1 == index


def test_layout_detected_from_headers():
    assert parsing.detect_layout(["vestigingscode", "stelling", "antwoord"]) == parsing.LONG
    assert parsing.detect_layout(["vestigingscode", "t01.01", "t01.02"]) == parsing.WIDE
    assert parsing.detect_layout(["vestigingscode", "stelling", "t01.01"]) == parsing.WIDE


def test_numeric_school_keys_keep_their_leading_zeros():
    assert parsing.normalise_school_key(12345) == "012345"
    assert parsing.normalise_school_key(12345.0) == "012345"
    assert parsing.normalise_school_key(" 12ab 00 ") == "12AB00"


def test_semicolon_inside_quotes_does_not_decide_the_delimiter():
    text = 'vestigingscode,T01.01,"T01.01 toelichting; lang"\n12AB00,3,"a; b; c"\n'
    assert parsing.sniff_delimiter(text) == ","


def test_long_layout_headers_in_english_are_understood():
    content = b"Location code,Statement code,Answer,Comment\r\n12AB00,T01.01,3,ok\r\n"
    sheet = parsing.parse(content)
    assert sheet.layout == parsing.LONG
    entry = sheet.entries[0]
    assert (entry.school, entry.code, entry.answer, entry.comment) == (
        "12AB00",
        "T01.01",
        "3",
        "ok",
    )
