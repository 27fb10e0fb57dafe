"""A backup holds every supporter's personal data: no other local account may read it, ever.

Not only the finished file: while pg_dump or SQLite writes it, a file created with the usual umask
(0644) could be read (or opened and kept open) by anyone on the machine. These tests look at the
file's mode while the tool is writing, under a umask of 022.
"""

import os
import sqlite3
import stat
import sys
import types
from pathlib import Path

import pytest

from groundswell.operations import backups


@pytest.fixture(autouse=True)
def usual_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_sqlite_backup_is_private_from_its_first_byte(tmp_path, monkeypatch):
    source = tmp_path / "live.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE supporter (name TEXT)")
        db.executemany("INSERT INTO supporter VALUES (?)", [(f"Supporter {n}",) for n in range(500)])
    db.close()

    seen = []  # the backup file's mode each time it is opened to be written

    def spying_connect(path, *args, **kwargs):
        if Path(path).name.endswith(".partial"):
            seen.append(_mode(path) if Path(path).exists() else None)
            connection = sqlite3.connect(path, *args, **kwargs)
            seen.append(_mode(path))  # SQLite has created (or opened) the file now
            return connection
        return sqlite3.connect(path, *args, **kwargs)

    monkeypatch.setattr(backups, "sqlite3", types.SimpleNamespace(connect=spying_connect))
    destination = backups.backup_database(
        {"ENGINE": backups.SQLITE_ENGINE, "NAME": str(source)}, tmp_path / "backups" / "groundswell.backup"
    )

    assert seen and all(mode == 0o600 for mode in seen), [oct(m) if m is not None else None for m in seen]
    assert _mode(destination) == 0o600
    with sqlite3.connect(destination) as copy:
        assert copy.execute("SELECT count(*) FROM supporter").fetchone() == (500,)
    copy.close()


FAKE_PG_DUMP = """#!{python}
# Stands in for pg_dump: opens --file as pg_dump does (fopen "wb"), notes the file's mode and the
# umask it was started with, then writes a custom-format header.
import os, stat, sys
path = next(a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--file="))
with open(path, "wb") as out:
    out.write(b"PGDMP")
    out.flush()
    mode = stat.S_IMODE(os.stat(path).st_mode)
    umask = os.umask(0)
with open({record!r}, "w") as note:
    note.write(f"{{mode:o}} {{umask:o}}")
"""


def test_a_pg_dump_backup_is_private_while_pg_dump_writes_it(tmp_path, monkeypatch):
    """Without PostgreSQL: a stand-in pg_dump on PATH records the mode it writes under."""
    tools = tmp_path / "bin"
    tools.mkdir()
    record = tmp_path / "seen"
    fake = tools / "pg_dump"
    fake.write_text(FAKE_PG_DUMP.format(python=sys.executable, record=str(record)))
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")

    destination = backups.backup_database(
        {"ENGINE": "django.db.backends.postgresql", "NAME": "groundswell", "HOST": "127.0.0.1"},
        tmp_path / "groundswell.backup",
    )

    mode, umask = record.read_text().split()
    assert mode == "600", f"pg_dump wrote into a file of mode {mode}"
    assert int(umask, 8) & 0o077 == 0o077, f"pg_dump ran with umask {umask}"
    assert _mode(destination) == 0o600
    assert destination.read_bytes().startswith(backups.POSTGRES_MAGIC)
