"""Enqueueing background tasks from actions.

With the database task backend (the default), a task is enqueued *inside* the action's
transaction: the task row commits or rolls back together with the data it is about, so a
signature can never exist without its confirmation email queued (a transactional outbox). With
any other backend (a broker), the task is enqueued once the transaction has committed, so a
worker never picks up a task for data it cannot see yet.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue(task, *args, **kwargs) -> None:
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


@task()
def run_maintenance() -> dict:
    """Housekeeping the worker runs every MAINTENANCE_INTERVAL_SECONDS; safe to run at any time.

    Deletes what the privacy promises say must go (docs/privacy.md, "Retention schedule"), prunes
    finished task rows, and queues the ledger's reminder digests (overdue commitments, silent
    targets) and letters' reminders, daily digests, follow-ups and deletions.
    """
    from groundswell.accounts.actions import forget_old_login_failures
    from groundswell.ledger.actions import queue_ledger_reminders
    from groundswell.letters.actions import queue_letter_work
    from groundswell.petitions.actions import anonymise_signatures_of_closed_petitions, purge_expired_signatures
    from groundswell.core.outbox import prune_finished
    from groundswell.protection.actions import erase_old_ip_addresses
    from groundswell.supporters.actions import forget_expired_data_links

    results = {
        "expired_signatures_deleted": purge_expired_signatures(),
        "signatures_anonymised": anonymise_signatures_of_closed_petitions(),
        "ip_addresses_erased": erase_old_ip_addresses(),
        "login_failures_forgotten": forget_old_login_failures(),
        "data_links_forgotten": forget_expired_data_links(),
        "finished_emails_forgotten": prune_finished(),
        "ledger_reminders_noted": queue_ledger_reminders(),
        **queue_letter_work(),  # reminders, digests, follow-ups, deleting old letters' words
    }
    cutoff = timezone.now() - timedelta(days=1)
    finished = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
    )
    results["task_rows_pruned"], _ = finished.delete()
    return results
