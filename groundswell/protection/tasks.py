"""Background work for moderation. Tasks load by id and are safe to run twice."""

from django_tasks import task

from groundswell.protection import actions
from groundswell.protection.models import ModerationRecord
from groundswell.protection.queries import signatures_matching


@task()
def run_invalidation(record_id: int) -> str:
    """Carry out a bulk invalidation batch by batch, so the progress page can show it moving.

    Run twice (or after a crash), it picks up what is left: invalidated signatures no longer match.
    """
    record = ModerationRecord.objects.select_related("petition").filter(pk=record_id).first()
    if record is None or record.state == ModerationRecord.State.DONE:
        return "nothing to do"
    ids = signatures_matching(record.petition, record.criteria)
    size = actions.INVALIDATION_BATCH_SIZE
    for start in range(0, len(ids), size):
        actions.invalidate_batch(record=record, signature_ids=ids[start : start + size])
    actions.finish_invalidation(record=record)
    return f"invalidated {record.changed}"
