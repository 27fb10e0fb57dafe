"""Signature emails move from the signature row to the one outbox (core/outbox.py): every email
still due on a signature becomes an outbox row first, so an upgrade loses none."""

from django.db import migrations
from django.utils.crypto import salted_hmac


def move_due_emails(apps, schema_editor):
    Signature = apps.get_model("petitions", "Signature")
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    due = Signature.objects.filter(email_due_at__isnull=False).values_list("pk", "email_normalised", "email_due_at", "email_attempts")
    rows = [
        OutgoingEmail(
            kind="petitions.signature",
            object_id=pk,
            # as core.outbox.recipient_hash computes it
            recipient_hash=salted_hmac("groundswell.mail.recipient", (address or "").strip().lower(), algorithm="sha256").hexdigest(),
            due_at=due_at,
            attempts=attempts,
        )
        for pk, address, due_at, attempts in due.iterator()
    ]
    OutgoingEmail.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("petitions", "0003_merge_outbox_and_protection"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_due_emails, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="signature", name="signature_emails_due"),
        migrations.RemoveField(model_name="signature", name="email_attempts"),
        migrations.RemoveField(model_name="signature", name="email_claimed_until"),
        migrations.RemoveField(model_name="signature", name="email_due_at"),
    ]
