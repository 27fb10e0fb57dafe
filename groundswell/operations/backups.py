"""Backing up and restoring Groundswell's database with the database's own tools.

PostgreSQL: `pg_dump --format=custom` (a consistent snapshot, taken while the site runs) and
`pg_restore --clean --single-transaction` (all or nothing). SQLite: the online backup API, which
copies a consistent snapshot even while the site is writing. Nothing home-made: the files are the
ones these tools make, so `pg_restore` or `sqlite3` can read them without Groundswell.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

POSTGRES_ENGINES = {"django.db.backends.postgresql"}
SQLITE_ENGINE = "django.db.backends.sqlite3"
POSTGRES_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """Something an operator must fix (a missing tool, the wrong kind of file); said plainly."""


def _postgres_environment(database: dict) -> dict:
    """libpq's own variables, so the password never appears in a process list."""
    environment = os.environ.copy()
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if database.get(key):
            environment[variable] = str(database[key])
    sslmode = (database.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = sslmode
    return environment


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed: on Debian, `apt install postgresql-client` (the same major version as the server).")
    return path


PRIVATE_UMASK = 0o077  # files created are the owner's alone: backups hold supporters' personal data


def _private_empty_file(path: Path) -> None:
    """Create `path` empty with mode 0600 before a byte is written, so no one else can ever read it.

    A chmod afterwards is too late: while pg_dump or SQLite writes, the file would have the
    umask's mode (usually 0644, readable by every local account). The tools write into this file
    (pg_dump truncates it, SQLite's backup fills an empty database file), keeping its mode.
    """
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.chmod(path, 0o600)  # os.open's mode is reduced by the umask, never widened; be exact


def _run(command: list[str], environment: dict, *, umask: int = -1) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, umask=umask)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed (exit {result.returncode}): {result.stderr.strip()}")


def backup_database(database: dict, destination: Path) -> Path:
    """Write a backup of `database` (a Django DATABASES entry) to `destination`."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    if database["ENGINE"] in POSTGRES_ENGINES:
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl", f"--file={partial}"]
        _private_empty_file(partial)
        # The umask too: anything pg_dump creates itself (should it replace the file) is private.
        _run(command, _postgres_environment(database), umask=PRIVATE_UMASK)
    elif database["ENGINE"] == SQLITE_ENGINE:
        # SQLite gives its journal file the database file's mode, so both stay private.
        _private_empty_file(partial)
        with sqlite3.connect(database["NAME"]) as source, sqlite3.connect(partial) as target:
            source.backup(target)
        source.close()
        target.close()
    else:
        raise BackupError(f"Backups of {database['ENGINE']} databases are not supported.")
    partial.chmod(0o600)  # already private from its first byte (above); make sure it still is
    partial.replace(destination)  # never leave a half-written file under the real name
    return destination


def backup_kind(path: Path) -> str:
    with open(path, "rb") as file:
        start = file.read(16)
    if start.startswith(POSTGRES_MAGIC):
        return "postgresql"
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    raise BackupError(f"{path} is not a Groundswell backup (neither a pg_dump custom-format file nor a SQLite database).")


def restore_database(source: Path, database: dict) -> None:
    """Replace everything in `database` with the contents of the backup at `source`."""
    kind = backup_kind(source)
    if database["ENGINE"] in POSTGRES_ENGINES:
        if kind != "postgresql":
            raise BackupError("This is a SQLite backup; it can only be restored into a SQLite database.")
        _run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error", f"--dbname={database['NAME']}", str(source)],
            _postgres_environment(database),
        )
    elif database["ENGINE"] == SQLITE_ENGINE:
        if kind != "sqlite":
            raise BackupError("This is a PostgreSQL backup; it can only be restored into a PostgreSQL database.")
        with sqlite3.connect(source) as backup, sqlite3.connect(database["NAME"]) as target:
            backup.backup(target)
        backup.close()
        target.close()
    else:
        raise BackupError(f"Restoring into {database['ENGINE']} databases is not supported.")
