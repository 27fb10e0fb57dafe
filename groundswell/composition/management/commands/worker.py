"""`groundswell worker`: background work: outgoing email, queued tasks, housekeeping.

Run as many as you like, on as many machines as share the database. Each worker runs:
- the task queue (django-tasks' database worker): each task is claimed by exactly one worker (a
  row lock with SKIP LOCKED on PostgreSQL; an exclusive transaction on SQLite);
- the mail sender (core/outbox.py), in a thread: batches of due emails of every kind over one
  SMTP connection, claimed so that no two workers send the same one;
- the webhook deliverer (webhooks/actions.py), in a thread: signed POSTs of due deliveries;
- a heartbeat thread recording, every WORKER_HEARTBEAT_SECONDS, that it is alive (for /health/);
- a scheduler thread that queues housekeeping every MAINTENANCE_INTERVAL_SECONDS (idempotent, so
  several workers doing so is harmless).
"""

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

from groundswell.composition.tasks import run_maintenance
from groundswell.core import outbox
from groundswell.webhooks import actions as webhooks
from groundswell.operations.heartbeat import forget_worker, record_heartbeat, worker_name

logger = logging.getLogger("groundswell.worker")


def _beat(stop: threading.Event, interval: int, worker: str) -> None:
    """Record this worker's heartbeat now and every `interval` seconds, for /health/."""
    started_at = timezone.now()
    while True:
        try:
            close_old_connections()
            record_heartbeat(worker=worker, started_at=started_at)
        except Exception:  # a database hiccup must not kill the heartbeat thread
            logger.exception("Could not record the worker heartbeat; will try again")
        finally:
            connection.close()
        if stop.wait(interval):
            break
    try:
        forget_worker(worker=worker)
    except Exception:
        logger.warning("Could not remove this worker's heartbeat on the way out")
    finally:
        connection.close()


def _schedule_maintenance(stop: threading.Event, interval: int) -> None:
    while not stop.wait(interval):
        try:
            close_old_connections()
            run_maintenance.enqueue()
        except Exception:  # a database hiccup must not kill the scheduler thread
            logger.exception("Could not queue housekeeping; will try again")
        finally:
            connection.close()


def _send_emails(stop: threading.Event, idle_wait: float) -> None:
    """Send batches of due email until stopped.

    After a batch that was not full, wait `idle_wait` before claiming again, not only when
    nothing was due: while signatures trickle in, the next claim then takes what arrived in the
    meantime instead of one email, and the claim's queries, the SMTP connection and the record
    are spent on a batch (docs/performance.md, "Sixth session"). An email waits at most
    `idle_wait` longer. A full batch means a backlog, so the next is claimed at once."""
    while not stop.is_set():
        try:
            close_old_connections()
            claimed, _ = outbox.send_due_batch()
        except Exception:  # a database hiccup must not kill the sender
            logger.exception("The mail sender failed; will try again")
            connection.close()
            claimed = 0
        if claimed < outbox.BATCH_SIZE:
            stop.wait(idle_wait)


def _deliver_webhooks(stop: threading.Event, idle_wait: float) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            claimed = webhooks.deliver_due_batch()
        except Exception:  # a database hiccup must not kill the deliverer
            logger.exception("The webhook deliverer failed; will try again")
            connection.close()
            claimed = 0
        if not claimed:
            stop.wait(max(idle_wait, 1.0))


def send_all_due_emails() -> int:
    return outbox.send_all_due()


def deliver_all_due_webhooks() -> int:
    return webhooks.deliver_all_due()


class Command(BaseCommand):
    help = "Run background work: outgoing email, queued tasks, housekeeping."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="send what is due and run every due task, then exit")
        parser.add_argument("--interval", type=float, default=0.2, help="seconds to wait when there is nothing to do")

    def handle(self, *args, batch, interval, verbosity, **options):
        db_worker_options = dict(queue_name="*", interval=interval, batch=batch, reload=False, startup_delay=not batch, verbosity=verbosity)
        if batch:
            deliver_all_due_webhooks()
            send_all_due_emails()
            call_command("db_worker", **db_worker_options)
            deliver_all_due_webhooks()
            send_all_due_emails()  # anything a task (or a paused webhook endpoint) made due
            return
        stop = threading.Event()
        heartbeat = threading.Thread(
            target=_beat, args=(stop, settings.WORKER_HEARTBEAT_SECONDS, worker_name()), name="heartbeat", daemon=True
        )
        heartbeat.start()
        for target, arguments, name in (
            (_schedule_maintenance, (stop, settings.MAINTENANCE_INTERVAL_SECONDS), "maintenance-scheduler"),
            (_send_emails, (stop, interval), "mail-sender"),
            (_deliver_webhooks, (stop, interval), "webhook-deliverer"),
        ):
            threading.Thread(target=target, args=arguments, name=name, daemon=True).start()
        try:
            call_command("db_worker", **db_worker_options)
        finally:
            stop.set()
            heartbeat.join(timeout=5)
