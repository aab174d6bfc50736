"""The shipped ANB files: sizes per sector, the streefniveau, and full lineage 2024 → 2025."""

import pytest

from selfscan.norms.models import Statement
from selfscan.norms.selectors import sector_counts
from tests.norms.samples import NORMS_DIR

pytestmark = pytest.mark.django_db


def _counts(version):
    return {
        row.sector: (row.statements, row.counted)
        for row in sector_counts(list(version.statements.all()))
    }


def test_anb_2024_has_12_themes_and_71_statements_for_po_and_vo_only(anb):
    v1 = anb["2024"]
    assert v1.themes.count() == 12
    assert v1.statements.count() == 71
    assert v1.sectors == ["PO", "VO"]
    # 56 basis statements count for the norm; the 15 streefniveau statements do not.
    assert _counts(v1) == {"PO": (71, 56), "VO": (71, 56), "SV": (0, 0)}
    assert v1.statements.filter(counts_for_norm=False).count() == 15


def test_anb_2024_streefniveau_is_answered_but_never_counted(anb):
    streef = anb["2024"].statements.filter(counts_for_norm=False)
    assert set(streef.values_list("code", flat=True)) >= {"V1-O06.4", "V1-O06.5", "V1-G01.5"}
    assert all("STREEF" in s.tags for s in streef)
    assert (
        anb["2024"].statements.filter(counts_for_norm=True, tags__icontains="STREEF").count() == 0
    )


def test_anb_2024_uses_domain_style_codes(anb):
    codes = list(anb["2024"].statements.values_list("code", flat=True))
    assert all(code.startswith(("V1-B", "V1-O", "V1-G", "V1-R")) for code in codes)
    assert "V1-B01.1" in codes and "V1-O04.2" in codes and "V1-G03.1" in codes


def test_anb_2025_has_the_14_themes_and_69_statements_of_the_outline(anb):
    v2 = anb["2025"]
    assert list(v2.themes.values_list("code", flat=True)) == [f"T{n:02d}" for n in range(1, 15)]
    assert v2.statements.count() == 69
    assert v2.sectors == ["PO", "VO", "SV"]
    # T14.05 is for the stedelijke voorzieningen only; everything counts for the norm.
    assert _counts(v2) == {"PO": (68, 68), "VO": (68, 68), "SV": (69, 69)}
    assert v2.themes.get(code="T08").title == "Taalontwikkeling en meertaligheid"
    assert v2.statements.get(code="T14.05").sectors == ["SV"]


def test_anb_2025_nvt_flags_follow_the_outline(anb):
    nvt = set(anb["2025"].statements.filter(nvt_allowed=True).values_list("code", flat=True))
    assert nvt == {
        "T04.05",
        "T06.04",
        "T06.05",
        "T07.04",
        "T08.03",
        "T09.04",
        "T11.03",
        "T14.05",
    }


def test_every_2025_statement_has_lineage_to_2024(anb):
    v2 = anb["2025"]
    assert v2.previous == anb["2024"]
    for statement in v2.statements.prefetch_related("derived_from"):
        assert statement.relation, statement.code
        sources = list(statement.derived_from.all())
        if statement.relation == Statement.Relation.NEW:
            assert sources == [], statement.code
        else:
            assert sources, statement.code
            assert all(source.version_id == anb["2024"].pk for source in sources)
    new = set(v2.statements.filter(relation="nieuw").values_list("code", flat=True))
    assert new == {
        "T02.05",
        "T08.01",
        "T08.02",
        "T08.03",
        "T08.04",
        "T08.05",
        "T10.03",
        "T11.03",
        "T14.05",
    }


def test_every_2024_statement_is_carried_over_or_dropped(anb):
    v1, v2 = anb["2024"], anb["2025"]
    carried = set(
        Statement.derived_from.through.objects.filter(from_statement__version=v2).values_list(
            "to_statement__code", flat=True
        )
    )
    dropped = set(v2.dropped.values_list("statement__code", flat=True))
    assert carried.isdisjoint(dropped)
    assert carried | dropped == set(v1.statements.values_list("code", flat=True))
    assert len(dropped) == 10
    # Only streefniveau statements were dropped.
    assert not v1.statements.filter(code__in=dropped, counts_for_norm=True).exists()


@pytest.mark.parametrize(
    ("new_code", "relation", "old_codes", "comparable"),
    [
        ("T01.01", "gelijk", ["V1-B01.1"], True),
        ("T01.04", "herformuleerd", ["V1-B01.3"], True),
        ("T04.01", "samengevoegd", ["V1-O02.1", "V1-O02.2"], False),
        ("T06.03", "herformuleerd", ["V1-O04.2"], False),
        ("T09.02", "samengevoegd", ["V1-O06.2", "V1-O06.4"], False),
        ("T13.01", "gesplitst", ["V1-G03.1"], False),
        ("T14.01", "gesplitst", ["V1-G03.1"], False),
        ("T13.03", "herformuleerd", ["V1-G03.4"], True),
        ("T10.05", "gepromoveerd", ["V1-G01.4"], False),
    ],
)
def test_outline_mapping_examples(anb, new_code, relation, old_codes, comparable):
    statement = anb["2025"].statements.get(code=new_code)
    assert statement.relation == relation
    assert sorted(statement.derived_from.values_list("code", flat=True)) == old_codes
    assert statement.comparable is comparable


def test_comparable_statements_keep_their_concept_key(anb):
    for statement in (
        anb["2025"].statements.filter(comparable=True).prefetch_related("derived_from")
    ):
        (source,) = statement.derived_from.all()
        assert source.concept_key == statement.concept_key


def test_plusklas_is_dropped(anb):
    assert anb["2025"].dropped.filter(statement__code="V1-O06.5").exists()


def test_every_theme_has_guidance_and_every_level_has_guidance(anb):
    for version in anb.values():
        assert not version.themes.filter(guidance="").exists()
        assert not version.scale.filter(guidance="").exists()
        assert version.nvt_guidance


@pytest.mark.parametrize("name", ["anb-2024.yaml", "anb-2025.yaml"])
def test_shipped_files_say_they_are_a_stand_in(name):
    header = (NORMS_DIR / name).read_text(encoding="utf-8").split("metadata:")[0]
    assert "PLAATSVERVANGER" in header
    assert "NIET de" in header
