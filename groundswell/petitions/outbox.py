"""Signature emails: the signature row is its own outbox.

Every signature carries `email_due_at`: when its next email (the confirmation request, or "you
have already signed") should go. Signing sets it in the same transaction that writes the
signature, so an email can never be lost between the two, and nothing else is written on the
busiest path. Workers send what is due in batches over one open SMTP connection:

1. claim up to a batch of due rows by setting `email_claimed_until` (on PostgreSQL the rows are
   read with FOR UPDATE SKIP LOCKED, so several workers take disjoint batches; on SQLite the
   write transaction is exclusive), and commit;
2. render and send each message;
3. record the outcome: sent rows get `confirmation_email_sent_at`; rows whose server said "try
   later" are postponed with a growing delay; addresses refused for good are given up.

A worker that dies mid-batch leaves its claim to expire (CLAIM_SECONDS), and the rows are sent by
another: at least once, and exactly once unless a worker crashes between sending and recording.
Signing again while an email is being sent sets a new due time, which the outcome step keeps.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone

from groundswell.petitions.models import Signature

BATCH_SIZE = 100
CLAIM_SECONDS = 120
# Delays after successive failures: quick at first, then hourly, about three days in all; past
# that the signature expires anyway.
RETRY_DELAYS_SECONDS = [30, 60, 120, 300, 600, 1800] + [3600] * 66


def _claimable(now):
    return Q(email_due_at__lte=now) & (Q(email_claimed_until__isnull=True) | Q(email_claimed_until__lt=now))


def claim_due_emails(*, limit: int = BATCH_SIZE) -> tuple[list[int], object]:
    """Claim up to `limit` signatures whose email is due; returns their ids and the claim time."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Signature.objects.filter(_claimable(now))
            .order_by("email_due_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Signature.objects.filter(_claimable(now), pk__in=ids).update(
                email_claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
            )
    return ids, now


def record_sent(*, ids: list[int], claimed_at) -> None:
    if not ids:
        return
    Signature.objects.filter(pk__in=ids).update(
        confirmation_email_sent_at=timezone.now(),
        email_attempts=0,
        email_claimed_until=None,
        # Keep a due time set after the claim: the person signed again meanwhile.
        email_due_at=Case(When(email_due_at__gt=claimed_at, then=F("email_due_at")), default=None),
    )


def record_failed(*, ids: list[int], give_up: bool = False) -> None:
    """Postpone these emails by the next retry delay, or give up on them."""
    now = timezone.now()
    for signature in Signature.objects.filter(pk__in=ids).only("pk", "email_attempts"):
        attempts = signature.email_attempts + 1
        if give_up or attempts > len(RETRY_DELAYS_SECONDS):
            due = None
        else:
            due = now + timedelta(seconds=RETRY_DELAYS_SECONDS[attempts - 1])
        Signature.objects.filter(pk=signature.pk).update(email_attempts=attempts, email_due_at=due, email_claimed_until=None)
