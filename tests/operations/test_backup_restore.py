"""`groundswell backup` then `groundswell restore` gives back every row: petitions, signatures, counts.

On PostgreSQL (CI's second pass) this is pg_dump and pg_restore for real; on SQLite, the online
backup API. The restore goes into a separate, fresh database, never over the test database.
"""

import sqlite3

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from groundswell.petitions import actions
from groundswell.petitions.models import Petition, Signature, SignatureCount
from groundswell.petitions.queries import count_signatures
from tests.factories import make_petition, sign

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(database: dict, name: str | None = None):
    if connection.vendor == "postgresql":
        return psycopg.connect(
            dbname=name or database["NAME"], host=database.get("HOST") or None, port=database.get("PORT") or None,
            user=database.get("USER") or None, password=database.get("PASSWORD") or None, autocommit=True,
        )
    return sqlite3.connect(name or database["NAME"])


def _everything(database: dict, name: str | None = None) -> dict[str, list]:
    """Every row of every table, in a stable order."""
    tables = connection.introspection.table_names()
    result = {}
    db = _connect(database, name)
    try:
        for table in tables:
            cursor = db.execute(f'SELECT * FROM "{table}"')
            result[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    finally:
        db.close()
    return result


@pytest.fixture
def restore_target(tmp_path):
    """A fresh, empty database to restore into, and its URL."""
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        name = f"{database['NAME']}_restored"[:63]
        with _connect(database, "postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        credentials = database.get("USER") or "postgres"
        if database.get("PASSWORD"):
            credentials += f":{database['PASSWORD']}"
        yield name, f"postgres://{credentials}@{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}/{name}"
        with _connect(database, "postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "restored.sqlite3"
        yield str(path), f"sqlite:///{path}"


def _campaign_with_signatures():
    petitions = [make_petition(), make_petition(), make_petition()]
    for p_index, petition in enumerate(petitions):
        for n in range(5 + p_index):
            signature = sign(petition, email=f"supporter{p_index}-{n}@example.org", postcode="GU2 7XX").signature
            if n % 2 == 0:
                actions.confirm_signature(signature=signature)
    actions.change_petition_state(petition=petitions[2], state=Petition.State.CLOSED)
    return petitions


def test_backup_then_restore_gives_back_every_petition_signature_and_count(tmp_path, restore_target, capsys):
    petitions = _campaign_with_signatures()
    counts = {petition.pk: count_signatures(petition) for petition in petitions}
    assert sorted(counts.values()) == [3, 3, 4]
    before = _everything(connection.settings_dict)
    assert before["petitions_signature"] and before["petitions_signaturecount"] and len(before["petitions_petition"]) == 3

    backup_file = tmp_path / "groundswell.backup"
    call_command("backup", str(backup_file))
    assert backup_file.stat().st_mode & 0o077 == 0  # only the owner may read supporters' data

    name, url = restore_target
    call_command("restore", str(backup_file), database_url=url, yes=True)
    assert _everything(connection.settings_dict, name) == before

    # Restoring over a database that has changed since puts it back as it was.
    target = _connect(connection.settings_dict, name)
    target.execute("UPDATE petitions_petition SET title = 'changed'")
    target.execute("DELETE FROM petitions_signaturecount")
    if connection.vendor == "sqlite":
        target.commit()
    target.close()
    call_command("restore", str(backup_file), database_url=url, yes=True)
    assert _everything(connection.settings_dict, name) == before
    assert "Restored" in capsys.readouterr().out

    # The live database was never touched.
    assert Signature.objects.count() == sum(5 + i for i in range(3))
    assert SignatureCount.objects.exists()


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path, restore_target):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    _, url = restore_target
    with pytest.raises(CommandError, match="not a Groundswell backup"):
        call_command("restore", str(not_a_backup), database_url=url, yes=True)
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing.backup"), database_url=url, yes=True)
