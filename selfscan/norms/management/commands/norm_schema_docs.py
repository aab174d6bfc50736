"""`manage.py norm_schema_docs [--write]`: the field table of norms/README.md from the schema."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfscan.norms.schema import field_table

BEGIN = "<!-- schema:begin (gegenereerd door manage.py norm_schema_docs --write) -->"
END = "<!-- schema:end -->"


def readme_path() -> Path:
    return Path(settings.BASE_DIR) / "norms" / "README.md"


def with_table(text: str) -> str:
    """`text` with the part between the markers replaced by the current field table."""
    if BEGIN not in text or END not in text:
        raise ValueError("markers missing")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{field_table()}\n{END}{tail}"


class Command(BaseCommand):
    help = "Toont de veldentabel van het normformaat, of schrijft hem in norms/README.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true", help="werk norms/README.md bij")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["write"]:
            self.stdout.write(field_table())
            return
        path = readme_path()
        try:
            text = with_table(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise CommandError(f"{path}: de markeringen voor de tabel ontbreken") from exc
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"{path} bijgewerkt.")
