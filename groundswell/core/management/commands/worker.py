"""`groundswell worker`: run background tasks (emails, housekeeping) from the database queue.

Run as many as you like, on as many machines as share the database: each task is claimed by
exactly one worker (a row lock with SKIP LOCKED on PostgreSQL; an exclusive transaction on
SQLite). Each worker records a heartbeat for /health/ every WORKER_HEARTBEAT_SECONDS, and
queues the housekeeping task every MAINTENANCE_INTERVAL_SECONDS; housekeeping is idempotent, so
several workers doing so is harmless.
"""

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

logger = logging.getLogger("groundswell.worker")


def _beat(stop: threading.Event, interval: int, worker: str) -> None:
    """Record this worker's heartbeat now and every `interval` seconds, for /health/."""
    from django.utils import timezone

    from groundswell.operations.heartbeat import forget_worker, record_heartbeat

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
    from groundswell.core.tasks import run_maintenance

    while not stop.wait(interval):
        try:
            close_old_connections()
            run_maintenance.enqueue()
        except Exception:  # a database hiccup must not kill the scheduler thread
            logger.exception("Could not queue housekeeping; will try again")
        finally:
            connection.close()


class Command(BaseCommand):
    help = "Run the background task worker (and schedule housekeeping)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run every task that is due, then exit")
        parser.add_argument("--interval", type=float, default=0.5, help="seconds to wait when the queue is empty")

    def handle(self, *args, batch, interval, verbosity, **options):
        stop = threading.Event()
        heartbeat = None
        if not batch:
            from groundswell.operations.heartbeat import worker_name

            heartbeat = threading.Thread(
                target=_beat,
                args=(stop, settings.WORKER_HEARTBEAT_SECONDS, worker_name()),
                name="heartbeat",
                daemon=True,
            )
            heartbeat.start()
            threading.Thread(
                target=_schedule_maintenance,
                args=(stop, settings.MAINTENANCE_INTERVAL_SECONDS),
                name="maintenance-scheduler",
                daemon=True,
            ).start()
        try:
            call_command(
                "db_worker",
                queue_name="*",
                interval=interval,
                batch=batch,
                reload=False,
                startup_delay=not batch,
                verbosity=verbosity,
            )
        finally:
            stop.set()
            if heartbeat is not None:
                heartbeat.join(timeout=5)
