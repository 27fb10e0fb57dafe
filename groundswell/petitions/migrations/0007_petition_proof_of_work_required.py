"""The puzzle switch moves from protection's PetitionProtection onto the petition itself.

Signing reads it on every signature, and petitions (below moderation) owns writes to petitions;
protection is a shared app below petitions and must not know petitions at all. The values are
copied here; protection's next migration deletes PetitionProtection.
"""

from django.db import migrations, models


def copy_switches(apps, schema_editor):
    Petition = apps.get_model("petitions", "Petition")
    PetitionProtection = apps.get_model("protection", "PetitionProtection")
    required = PetitionProtection.objects.filter(proof_of_work_required=True).values_list("petition_id", flat=True)
    Petition.objects.filter(pk__in=list(required)).update(proof_of_work_required=True)


def copy_switches_back(apps, schema_editor):
    Petition = apps.get_model("petitions", "Petition")
    PetitionProtection = apps.get_model("protection", "PetitionProtection")
    for petition_id in Petition.objects.filter(proof_of_work_required=True).values_list("pk", flat=True):
        PetitionProtection.objects.update_or_create(petition_id=petition_id, defaults={"proof_of_work_required": True})


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0006_merge_outbox_and_slugs"),
        ("protection", "0003_merge_speed_and_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="petition",
            name="proof_of_work_required",
            field=models.BooleanField(
                default=False,
                help_text="Ask each signer's browser to solve a small puzzle (a few seconds, no CAPTCHA). "
                "Without JavaScript a signature is still stored, but held for review.",
            ),
        ),
        migrations.RunPython(copy_switches, copy_switches_back),
    ]
