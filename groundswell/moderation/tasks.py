"""Background work for moderation. Tasks load by id and are safe to run twice."""

from django_tasks import task

from groundswell.moderation import invalidation
from groundswell.moderation.models import ModerationRecord


@task()
def run_invalidation(record_id: int) -> str:
    """Carry out a bulk invalidation (moderation/invalidation.py)."""
    record = ModerationRecord.objects.select_related("petition").filter(pk=record_id).first()
    if record is None or record.state == ModerationRecord.State.DONE:
        return "nothing to do"
    return f"invalidated {invalidation.carry_out(record=record)}"
