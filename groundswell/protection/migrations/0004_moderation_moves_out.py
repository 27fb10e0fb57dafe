"""Protection keeps only the checks every signature goes through.

ModerationRecord now belongs to the moderation app (its table stays: state only here, see
moderation 0001); PetitionProtection's switch is now Petition.proof_of_work_required (copied by
petitions 0007), so its table goes.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("protection", "0003_merge_speed_and_labels"),
        ("moderation", "0001_initial"),
        ("petitions", "0007_petition_proof_of_work_required"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ModerationRecord")],
            database_operations=[],
        ),
        migrations.DeleteModel(name="PetitionProtection"),
    ]
