"""Signers who ticked "email me news" before updates existed: their answers become consents
(one per person per organisation, the earliest agreement's words and time, the latest details)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Signature = apps.get_model("petitions", "Signature")
    Consent = apps.get_model("updates", "Consent")
    seen = {}
    rows = (
        Signature.objects.filter(updates_consent__isnull=False, confirmed_at__isnull=False, anonymised_at__isnull=True)
        .exclude(email="")
        .values("email", "email_normalised", "name", "constituency_code", "updates_consent_id", "created_at",
                "petition__campaign_id", "petition__campaign__organisation_id")
        .order_by("created_at", "pk")
    )
    for row in rows.iterator(chunk_size=2000):
        key = (row["petition__campaign__organisation_id"], row["email_normalised"])
        if key in seen:
            Consent.objects.filter(pk=seen[key]).update(
                email=row["email"], name=row["name"] or "", constituency_code=row["constituency_code"] or ""
            )
            continue
        consent = Consent.objects.create(
            organisation_id=key[0], email_normalised=key[1], email=row["email"], name=row["name"],
            constituency_code=row["constituency_code"], statement_id=row["updates_consent_id"], given_at=row["created_at"],
            source="signature", given_for_campaign_id=row["petition__campaign_id"],
        )
        seen[key] = consent.pk


class Migration(migrations.Migration):
    dependencies = [("updates", "0001_initial"), ("petitions", "0007_petition_proof_of_work_required")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
