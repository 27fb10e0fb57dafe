"""Worker heartbeats: each `groundswell worker` records that it is alive; /health/ reads them."""

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from groundswell.operations.models import WorkerHeartbeat


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def record_heartbeat(*, worker: str, started_at) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"started_at": started_at, "last_seen_at": now})
    # Workers that stopped without saying goodbye (a crash, a power cut) are forgotten after a day.
    WorkerHeartbeat.objects.filter(last_seen_at__lt=now - timedelta(days=1)).delete()


def forget_worker(*, worker: str) -> None:
    WorkerHeartbeat.objects.filter(worker=worker).delete()


def live_worker_count(now=None) -> int:
    """Workers seen within three heartbeat intervals."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS)
    return WorkerHeartbeat.objects.filter(last_seen_at__gte=cutoff).count()
