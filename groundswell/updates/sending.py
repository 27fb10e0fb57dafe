"""Turning an update's audience into outbox rows, in batches, and recording what the outbox did.

Queueing walks the audience by consent id from the update's cursor (`queued_through_consent`),
UPDATES_QUEUE_BATCH consents a transaction: one query for the batch, one for how many updates
each person had this week (the frequency cap), one bulk INSERT of delivery rows and one of
outbox rows (`outbox.enqueue_many`), and the cursor moved in the same transaction. Memory stays
the size of one batch however large the audience; a task that is killed resumes where the last
batch committed; the unique (update, email) constraint is the final word on one copy each.

Pace: with UPDATES_EMAILS_PER_MINUTE set, each row is due 60/rate seconds after the one before,
continuing after the last update row already queued (so two updates sending at once share the
pace); the outbox sends rows when they are due, so mail people asked for (a confirmation link)
is never stuck behind a big update.

Sending is the outbox's: each row is built when it is sent, and a person whose consent was
withdrawn meanwhile gets nothing (`build` returns None, the row is cancelled).
"""

import logging
import uuid
from datetime import timedelta

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Value
from django.utils import timezone

from groundswell.core import outbox
from groundswell.core.models import OutgoingEmail
from groundswell.geography.queries import constituency_directory
from groundswell.updates import emails, queries
from groundswell.updates.models import Consent, Delivery, Update

logger = logging.getLogger("groundswell.updates")


def start_if_due(update_id: int, *, now=None) -> bool:
    """A scheduled update whose time has come starts sending. Returns whether it is sending."""
    now = now or timezone.now()
    with transaction.atomic():
        Update.objects.filter(pk=update_id, status=Update.Status.SCHEDULED, send_at__lte=now).update(
            status=Update.Status.SENDING, sending_started_at=now
        )
        return Update.objects.filter(pk=update_id, status=Update.Status.SENDING).exists()


def _first_due(now) -> timedelta | None:
    rate = settings.UPDATES_EMAILS_PER_MINUTE
    if rate <= 0:
        return None
    return timedelta(seconds=60 / rate)


def queue_next_batch(*, update_id: int, batch_size: int | None = None, now=None) -> int:
    """Write the next batch of the update's audience to the outbox. Returns how many consents
    the batch covered (0: queueing is finished, or the update is not sending)."""
    batch_size = batch_size or settings.UPDATES_QUEUE_BATCH
    now = now or timezone.now()
    with transaction.atomic():
        update = Update.objects.select_for_update().filter(pk=update_id).first()
        if update is None or update.status != Update.Status.SENDING or update.queueing_finished_at:
            return 0
        cap = settings.UPDATES_PER_SUPPORTER_PER_WEEK
        consents = queries.audience(update).filter(pk__gt=update.queued_through_consent)
        if cap > 0:  # how many updates each had from the organisation this week, in the same query
            consents = consents.annotate(recent=queries.recent_deliveries_subquery(update.organisation_id, now=now))
        else:
            consents = consents.annotate(recent=Value(0))
        batch = list(consents.values_list("pk", "email_normalised", "recent")[:batch_size])
        if not batch:
            Update.objects.filter(pk=update.pk).update(queueing_finished_at=now)
            finish_if_done([update.pk])
            return 0
        wanted, skipped = [], 0
        for consent_id, email, recent in batch:
            if cap > 0 and (recent or 0) >= cap:
                skipped += 1
                continue
            wanted.append((consent_id, email))
        deliveries = _insert_deliveries(update, wanted, now)
        interval = _first_due(now)
        if interval is None:
            due_times = [None] * len(deliveries)  # due at once
        else:
            last = OutgoingEmail.objects.filter(kind=emails.UPDATE, state=OutgoingEmail.State.QUEUED).aggregate(last=Max("due_at"))["last"]
            start = max(now, last + interval) if last else now
            due_times = [start + interval * i for i in range(len(deliveries))]
        outbox.enqueue_many(emails.UPDATE, ((pk, email, None, due) for (pk, email), due in zip(deliveries, due_times)))
        Update.objects.filter(pk=update.pk).update(
            queued_through_consent=batch[-1][0],
            queued_count=update.queued_count + len(deliveries),
            skipped_for_cap=update.skipped_for_cap + skipped,
        )
    return len(batch)


def _insert_deliveries(update: Update, wanted: list[tuple[int, str]], now) -> list[tuple[int, str]]:
    """Insert one delivery row per (consent id, email) in multi-row INSERTs of plain values,
    returning (delivery id, email) for each, in order of delivery id (the queue's order)."""
    if not wanted:
        return []
    ops = connection.ops
    native_uuid = connection.features.has_native_uuid_field
    at_now = ops.adapt_datetimefield_value(now)
    columns = ["public_id", "update_id", "organisation_id", "consent_id", "email_normalised", "state", "created_at"]
    table = ops.quote_name(Delivery._meta.db_table)
    names = ", ".join(ops.quote_name(name) for name in columns)
    inserted = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The driver's own cursor binds parameters on the server (Django's quotes them into
            # the statement's text, which for arrays of thousands of values is the slow part).
            cursor = psycopg.Cursor(connection.connection)
            # Arrays as parameters: one short statement for the whole batch.
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT u, %s, %s, c, e, %s, %s FROM unnest(%s::uuid[], %s::bigint[], %s::text[]) AS t(u, c, e) "
                f"RETURNING {ops.quote_name('id')}, {ops.quote_name('email_normalised')}",
                [update.pk, update.organisation_id, Delivery.State.QUEUED.value, now,
                 [uuid.uuid4() for _ in wanted], [consent_id for consent_id, _ in wanted], [email for _, email in wanted]],
            )
            return sorted(cursor.fetchall())
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(wanted), 2000):
            part = wanted[start:start + 2000]
            values = []
            for consent_id, email in part:
                public_id = uuid.uuid4()
                values += [public_id if native_uuid else public_id.hex, update.pk, update.organisation_id, consent_id, email,
                           Delivery.State.QUEUED.value, at_now]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(part))} RETURNING {ops.quote_name('id')}, {ops.quote_name('email_normalised')}",
                values,
            )
            inserted += cursor.fetchall()
    return sorted(inserted)


def queue_all(update_id: int) -> int:
    if connection.vendor == "sqlite":
        # SQLite's page cache is 2 MB by default: the outbox's and deliveries' indexes on random
        # keys (address hashes, public ids) outgrow it at a few tens of thousands of rows, and
        # every insert then reads pages back from disk. 64 MB for this connection's queueing.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -65536")
    total = 0
    while covered := queue_next_batch(update_id=update_id):
        total += covered
    return total


def finish_if_done(update_ids) -> None:
    """An update whose audience is all queued, and none of whose deliveries wait, is sent."""
    for update_id in set(update_ids):
        if not Delivery.objects.filter(update_id=update_id, state=Delivery.State.QUEUED).exists():
            Update.objects.filter(pk=update_id, status=Update.Status.SENDING, queueing_finished_at__isnull=False).update(
                status=Update.Status.SENT, sent_at=timezone.now()
            )


def tidy_sending(*, now=None) -> int:
    """Housekeeping: deliveries whose outbox row finished without telling us (cancelled at build
    because the person had just unsubscribed, or set aside as broken) stop counting as queued,
    and updates with nothing left waiting are marked sent. Also starts scheduled updates whose
    task was lost. Returns how many deliveries were tidied."""
    now = now or timezone.now()
    from_outbox = OutgoingEmail.objects.filter(kind=emails.UPDATE).exclude(state=OutgoingEmail.State.QUEUED)
    tidied = 0
    for update_id in Update.objects.filter(status=Update.Status.SCHEDULED, send_at__lte=now).values_list("pk", flat=True):
        if start_if_due(update_id, now=now):
            queue_all(update_id)
    # A queueing task that died part way: carry on from its cursor (safe beside a live one:
    # batches lock the update's row, and the unique constraint allows one copy each).
    for update_id in Update.objects.filter(status=Update.Status.SENDING, queueing_finished_at__isnull=True).values_list("pk", flat=True):
        queue_all(update_id)
    sending = list(Update.objects.filter(status=Update.Status.SENDING, queueing_finished_at__isnull=False).values_list("pk", flat=True))
    for update_id in sending:
        stale = Delivery.objects.filter(
            update_id=update_id, state=Delivery.State.QUEUED, pk__in=from_outbox.values("object_id")
        ).exclude(pk__in=OutgoingEmail.objects.filter(kind=emails.UPDATE, state=OutgoingEmail.State.QUEUED).values("object_id"))
        tidied += stale.update(state=Delivery.State.CANCELLED)
    finish_if_done(sending)
    return tidied


# -- the outbox's side (core/outbox.py EmailKind) ---------------------------------------------


def load_deliveries(ids: list[int]) -> dict:
    """The batch's deliveries, each with its merge values: the constituency directory is asked
    once for the batch (asking it per email was a query per email, a quarter of the sending time)."""
    deliveries = Delivery.objects.select_related(
        "consent", "update__organisation__updates_settings", "update__campaign"
    ).in_bulk(ids)
    directory = constituency_directory()
    for delivery in deliveries.values():
        delivery.merge_values = emails.values_for(delivery.consent, directory)
    return deliveries


def build_delivery(delivery: Delivery, row):
    consent = delivery.consent
    if delivery.state != Delivery.State.QUEUED or consent.withdrawn_at is not None or not consent.email:
        return None  # unsubscribed (or erased) since it was queued: nothing further
    return emails.build_update_email(delivery.update, to=consent.email, values=delivery.merge_values, public_id=delivery.public_id)


def record_sent(rows) -> None:
    now = timezone.now()
    ids = [row.object_id for row in rows]
    Delivery.objects.filter(pk__in=ids, state=Delivery.State.QUEUED).update(state=Delivery.State.SENT, sent_at=now)
    finish_if_done(Delivery.objects.filter(pk__in=ids).values_list("update_id", flat=True).distinct())


def record_refused(rows) -> None:
    """Refused for good, bounced later, or not sent because the address is suppressed."""
    now = timezone.now()
    suppressed = set(
        OutgoingEmail.objects.filter(pk__in=[row.pk for row in rows], state=OutgoingEmail.State.SUPPRESSED).values_list("object_id", flat=True)
    )
    ids = [row.object_id for row in rows]
    Delivery.objects.filter(pk__in=suppressed).update(state=Delivery.State.SUPPRESSED)
    Delivery.objects.filter(pk__in=[i for i in ids if i not in suppressed]).update(state=Delivery.State.BOUNCED, bounced_at=now)
    finish_if_done(Delivery.objects.filter(pk__in=ids).values_list("update_id", flat=True).distinct())


def cancel_queued(deliveries) -> int:
    """Take these queued deliveries (a queryset) out of the outbox."""
    ids = list(deliveries.filter(state=Delivery.State.QUEUED).values_list("pk", flat=True))
    if ids:
        outbox.cancel(emails.UPDATE, object_ids=ids)
        Delivery.objects.filter(pk__in=ids).update(state=Delivery.State.CANCELLED)
    return len(ids)


def queued_for(consent: Consent):
    return Delivery.objects.filter(organisation_id=consent.organisation_id, email_normalised=consent.email_normalised)
