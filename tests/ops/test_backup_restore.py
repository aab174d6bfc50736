"""docs/backup.md, followed: a pg_dump of the demo database restores into a new database that
holds every answer, every history row and every audit line, and the application accepts it
(no migration missing). The commands are the ones the document gives."""

import subprocess

import pytest

from tests.ops.conftest import project_env, query, run_checked
from tests.pg_server import TempPostgres, postgres_bin

# Every table whose loss would lose what a school or the partnership wrote.
KEPT = {
    "scans_answer": "id, scan_id, statement_id, value, comment, nvt_explanation, version",
    "scans_answerchange": "*",
    "scans_themereflection": "*",
    "scans_scanevent": "*",
    "scans_scan": "id, round_id, school_id, submitted_at",
    "audit_auditevent": "*",
    "rounds_round": "*",
}


def all_tables(postgres: TempPostgres, dbname: str) -> list[str]:
    rows = query(
        postgres,
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        dbname=dbname,
    )
    return [row[0] for row in rows]


def dump_and_restore(postgres: TempPostgres, tmp_path: object, target: str) -> None:
    dump = f"{tmp_path}/selfscan.dump"
    connection = ["-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres"]
    subprocess.run(
        [postgres_bin("pg_dump") or "pg_dump", *connection, "-Fc", "-f", dump, "selfscan"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    postgres.create_database(target)
    subprocess.run(
        [postgres_bin("pg_restore") or "pg_restore", *connection, "--no-owner", "-d", target, dump],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def test_a_dump_of_the_demo_restores_every_answer_history_row_and_audit_line(
    demo_postgres: TempPostgres, tmp_path: object
) -> None:
    original = all_tables(demo_postgres, "selfscan")
    for table in KEPT:
        assert table in original
    answers = query(demo_postgres, "SELECT count(*) FROM scans_answer")[0][0]
    history = query(demo_postgres, "SELECT count(*) FROM scans_answerchange")[0][0]
    audit = query(demo_postgres, "SELECT count(*) FROM audit_auditevent")[0][0]
    assert answers > 1000 and history > 0 and audit > 0, "the demo has data worth restoring"

    dump_and_restore(demo_postgres, tmp_path, "selfscan_restored")

    assert all_tables(demo_postgres, "selfscan_restored") == original
    for table in original:
        count = f"SELECT count(*) FROM {table}"  # noqa: S608 - names from pg_tables
        assert query(demo_postgres, count, dbname="selfscan_restored") == query(
            demo_postgres, count
        ), table
    for table, columns in KEPT.items():
        select = f"SELECT {columns} FROM {table} ORDER BY 1"  # noqa: S608 - constants
        assert query(demo_postgres, select, dbname="selfscan_restored") == query(
            demo_postgres, select
        ), table

    # The application runs on the restored database as it is: nothing to migrate.
    restored_url = demo_postgres.url.rsplit("/", 1)[0] + "/selfscan_restored"
    env = project_env(restored_url, str(tmp_path))
    run_checked("manage.py", "migrate", "--check", env=env)


@pytest.fixture(autouse=True)
def _drop_restored(demo_postgres: TempPostgres) -> object:
    yield
    query(demo_postgres, "SELECT 1")  # the server is still up
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=demo_postgres.port, user="postgres", dbname="postgres",
        autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute("DROP DATABASE IF EXISTS selfscan_restored")
