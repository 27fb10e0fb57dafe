"""The upgrade that splits moderation out of protection keeps what a running site has: a petition's
puzzle switch (PetitionProtection) lands on the petition, and the moderation records (whose table
stays where it is) are read through the moderation app's model."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from groundswell.moderation.models import ModerationRecord
from groundswell.petitions.models import Petition
from tests.factories import make_petition

BEFORE = [
    ("petitions", "0006_merge_outbox_and_slugs"),
    ("protection", "0003_merge_speed_and_labels"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_split_keeps_puzzle_switches_and_moderation_records():
    on, off = make_petition(), make_petition()
    old = _migrate(BEFORE)
    assert not any(f.name == "proof_of_work_required" for f in old.get_model("petitions", "Petition")._meta.fields)
    old.get_model("protection", "PetitionProtection").objects.create(petition_id=on.pk, proof_of_work_required=True)
    old.get_model("protection", "PetitionProtection").objects.create(petition_id=off.pk, proof_of_work_required=False)
    old.get_model("protection", "ModerationRecord").objects.create(
        petition_id=on.pk, kind="restore", criteria={"signatures": []}, description="2 flagged signatures restored", changed=2, state="done"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Petition.objects.get(pk=on.pk).proof_of_work_required is True
    assert Petition.objects.get(pk=off.pk).proof_of_work_required is False
    [record] = ModerationRecord.objects.all()
    assert (record.petition_id, record.description, record.changed) == (on.pk, "2 flagged signatures restored", 2)
    assert "protection_petitionprotection" not in connection.introspection.table_names()
