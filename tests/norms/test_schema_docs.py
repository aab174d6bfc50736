"""norms/README.md cannot drift from the schema: its field table and examples are checked."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from selfscan.norms.management.commands.norm_schema_docs import readme_path, with_table
from selfscan.norms.schema import NormFile
from selfscan.norms.services import validate_norm_files
from tests.norms.samples import source


def test_readme_field_table_matches_the_schema():
    text = readme_path().read_text(encoding="utf-8")
    assert with_table(text) == text, "run: uv run python manage.py norm_schema_docs --write"


def test_field_table_lists_every_key_of_the_schema(capsys):
    call_command("norm_schema_docs")
    table = capsys.readouterr().out
    for name in NormFile.model_fields:
        assert f"| `{name}` |" in table
    for key in ("concept_key", "geldt_voor", "nvt_toegestaan", "telt_mee", "relatie", "vorige"):
        assert f"| `{key}` |" in table


@pytest.mark.django_db
def test_readme_examples_are_valid_files():
    text = Path(readme_path()).read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert len(blocks) == 2
    report = validate_norm_files(
        [source(block, f"voorbeeld-{n}.yaml") for n, block in enumerate(blocks)]
    )
    assert report.errors == []
