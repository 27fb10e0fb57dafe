"""Background work for updates. Tasks load by id and are safe to run twice."""

from django_tasks import task

from groundswell.updates import sending


@task()
def queue_update(update_id: int) -> int:
    """Start a due update and write its whole audience to the outbox, batch by batch
    (updates/sending.py). Run twice, the second finds the cursor at the end."""
    if not sending.start_if_due(update_id):
        return 0
    return sending.queue_all(update_id)
