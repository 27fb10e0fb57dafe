"""The housekeeping schedule: what every app asks to be done regularly, in one task.

It lives here, in the app that composes the others, so that `core` imports no app and each app
keeps its own rules (what to delete and when) in its own actions.
"""

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from groundswell.accounts.actions import forget_old_login_failures
from groundswell.core.outbox import prune_finished
from groundswell.events.actions import queue_event_work
from groundswell.handin.actions import check_all_thresholds
from groundswell.ledger.actions import queue_ledger_chasers, queue_ledger_reminders
from groundswell.letters.actions import queue_letter_work
from groundswell.petitions.actions import anonymise_signatures_of_closed_petitions, purge_expired_signatures
from groundswell.petitions.actions import erase_old_ip_addresses
from groundswell.supporters.actions import forget_expired_data_links
from groundswell.webhooks.actions import prune_old_deliveries
from groundswell.updates.actions import housekeeping as updates_housekeeping


@task()
def run_maintenance(now: str | None = None) -> dict:
    """Housekeeping the worker runs every MAINTENANCE_INTERVAL_SECONDS; safe to run at any time.

    `now` (an ISO date-time, for tests and catching up) is the moment the date-driven work counts
    from (the ledger's chasers and reminders); without it, the present.

    Deletes what the privacy promises say must go (docs/privacy.md, "Retention schedule"), prunes
    finished task rows, and queues the ledger's reminder digests (overdue commitments, silent
    targets), letters' reminders, daily digests, follow-ups and deletions, and events' reminders
    and deletions (access needs a week after the event).
    """
    moment = datetime.fromisoformat(now) if isinstance(now, str) else (now or timezone.now())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    today = timezone.localdate(moment)
    results = {
        "expired_signatures_deleted": purge_expired_signatures(),
        "signatures_anonymised": anonymise_signatures_of_closed_petitions(),
        "ip_addresses_erased": erase_old_ip_addresses(),
        "login_failures_forgotten": forget_old_login_failures(),
        "data_links_forgotten": forget_expired_data_links(),
        "finished_emails_forgotten": prune_finished(),
        "ledger_reminders_noted": queue_ledger_reminders(today=today),
        "ledger_chasers_sent": queue_ledger_chasers(today=today),
        "webhook_deliveries_pruned": prune_old_deliveries(),
        **queue_letter_work(),  # reminders, digests, follow-ups, deleting old letters' words
        "thresholds_reached": check_all_thresholds(),  # any a listener missed (handin, petitions/hooks.py)
        **queue_event_work(),  # event reminders, deleting unconfirmed replies, access needs, names
        **updates_housekeeping(),  # scheduled updates whose task was lost, finishing sends
    }
    cutoff = timezone.now() - timedelta(days=1)
    finished = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
    )
    results["task_rows_pruned"], _ = finished.delete()
    return results
