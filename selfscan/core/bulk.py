"""Fast inserts of many plain rows (tuples), bypassing model instances.

`bulk_create` spends ~0.1 ms per row building model instances and SQL. For the hundreds of
thousands of rows of a round's answers or aggregates, PostgreSQL gets them by COPY and SQLite by
one `executemany` of a single INSERT. Values go in as the database takes them: `None` for NULL,
JSON already as text. Errors come out as Django's (`django.db.IntegrityError`, ...).
docs/decisions/0044-store-aggregates-by-copy.md
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection


def quoted_table(model: Any) -> str:
    """A model's table name, quoted for plain SQL (built from the meta, so a rename follows)."""
    return str(connection.ops.quote_name(model._meta.db_table))


def quoted_column(model: Any, name: str) -> str:
    """The column of a model's field `name`, quoted for plain SQL."""
    return str(connection.ops.quote_name(str(model._meta.get_field(name).column)))


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL: COPY `rows` into `table` (a real or a temporary table)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert `rows` into `table`: COPY on PostgreSQL, one executemany elsewhere."""
    if connection.vendor == "postgresql":
        copy_rows(table, columns, rows)
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", list(rows))  # noqa: S608
