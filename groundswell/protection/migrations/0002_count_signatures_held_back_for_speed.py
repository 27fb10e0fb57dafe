"""Count the people who were held back only for sending the form quickly, and lift that flag.

Until now a form sent within SIGN_FORM_MIN_SECONDS was flagged `too_fast`: a person whose browser
filled the form in was told their signature would count, confirmed by email, and was never
counted. Timing alone no longer flags anyone (docs/moderation.md). This lifts the flag from every
such signature; the confirmed ones are counted, by rebuilding the counts of the petitions they
are on from their signatures (as `groundswell recount` does), and each petition's moderation page
records the restore.
"""

from django.db import migrations
from django.db.models import Count
from django.utils import timezone

REASON = "too_fast"
_ADVISORY_LOCK_NAMESPACE = 0x6753  # as petitions/counting.py: recounts exclude confirmations


def lift_timing_flags(apps, schema_editor):
    Signature = apps.get_model("petitions", "Signature")
    SignatureCount = apps.get_model("petitions", "SignatureCount")
    ModerationRecord = apps.get_model("protection", "ModerationRecord")
    connection = schema_editor.connection
    petition_ids = sorted(set(Signature.objects.filter(flagged_reason=REASON).values_list("petition_id", flat=True)))
    for petition_id in petition_ids:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_ADVISORY_LOCK_NAMESPACE, petition_id])
        held = Signature.objects.filter(petition_id=petition_id, flagged_reason=REASON)
        confirmed = held.filter(confirmed_at__isnull=False).count()
        lifted = held.update(flagged_reason="", flagged_at=None)
        SignatureCount.objects.filter(petition_id=petition_id).delete()
        rows = (
            Signature.objects.filter(petition_id=petition_id, confirmed_at__isnull=False, flagged_reason="")
            .values("country", "constituency_code")
            .annotate(n=Count("id"))
            .order_by()
        )
        SignatureCount.objects.bulk_create(
            SignatureCount(petition_id=petition_id, country=r["country"], constituency_code=r["constituency_code"], shard=0, count=r["n"])
            for r in rows
        )
        ModerationRecord.objects.create(
            petition_id=petition_id,
            kind="restore",
            moderator=None,
            moderator_email="",
            criteria={"flagged_reason": REASON},
            description=f"{lifted} signature(s) held back only for being sent quickly, restored by an upgrade",
            expected=lifted,
            processed=lifted,
            changed=lifted,
            count_change=confirmed,
            state="done",
            finished_at=timezone.now(),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("protection", "0001_initial"),
        ("petitions", "0003_merge_outbox_and_protection"),
    ]

    operations = [migrations.RunPython(lift_timing_flags, migrations.RunPython.noop)]
