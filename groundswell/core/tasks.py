"""Enqueueing background tasks from actions.

With the database task backend (the default), a task is enqueued *inside* the action's
transaction: the task row commits or rolls back together with the data it is about, so a
signature can never exist without its confirmation email queued (a transactional outbox). With
any other backend (a broker), the task is enqueued once the transaction has committed, so a
worker never picks up a task for data it cannot see yet.
"""

from django.db import transaction
from django_tasks_db import DatabaseBackend


def enqueue(task, *args, **kwargs) -> None:
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
