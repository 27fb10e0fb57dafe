"""Carrying out a bulk invalidation, batch by batch, so the progress page can show it moving.

It writes, like actions.py, but only the background task (moderation/tasks.py) runs it: the
moderator's action records the request and queues the task (actions.start_invalidation). Kept
apart from actions.py so that the task and the action that queues it do not import each other.
"""

from django.db import transaction
from django.utils import timezone

from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Signature
from groundswell.moderation.models import ModerationRecord
from groundswell.moderation.queries import signatures_matching

BATCH_SIZE = 200


def carry_out(*, record: ModerationRecord) -> int:
    """Invalidate what still matches; run twice (or after a crash), it picks up what is left:
    invalidated signatures no longer match. Returns how many were changed in all."""
    ids = signatures_matching(record.petition, record.criteria)
    for start in range(0, len(ids), BATCH_SIZE):
        invalidate_batch(record=record, signature_ids=ids[start : start + BATCH_SIZE])
    finish_invalidation(record=record)
    return record.changed


def invalidate_batch(*, record: ModerationRecord, signature_ids: list[int]) -> None:
    """Invalidate one batch in one transaction: flag, take the counted ones off the count, note progress."""
    with transaction.atomic():
        changed, removed = petition_actions.flag_signatures(
            Signature.objects.filter(pk__in=signature_ids, petition_id=record.petition_id), reason="invalidated"
        )
        ModerationRecord.objects.filter(pk=record.pk).update(
            state=ModerationRecord.State.RUNNING,
            processed=record.processed + len(signature_ids),
            changed=record.changed + changed,
            count_change=record.count_change - removed,
        )
    record.refresh_from_db()


def finish_invalidation(*, record: ModerationRecord) -> None:
    ModerationRecord.objects.filter(pk=record.pk).update(
        state=ModerationRecord.State.DONE, finished_at=timezone.now(), processed=record.expected
    )
