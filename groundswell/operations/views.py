"""/health/: is this site able to do its work? For load balancers, uptime monitors and people.

It answers 200 when the database and cache respond and at least one task worker has a recent
heartbeat, 503 otherwise, with a JSON body saying which part failed. No personal data, no
secrets, nothing about any petition: safe to expose to a monitoring service.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from groundswell.core import outbox
from groundswell.operations.heartbeat import live_worker_count

logger = logging.getLogger("groundswell.health")


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _cache() -> dict:
    key = f"groundswell:health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    return {"ok": found == "ok"}


def _workers() -> dict:
    count = live_worker_count()
    return {"ok": count > 0, "live": count}


def _queue() -> dict:
    """Work waiting now: due tasks, and due emails of every kind (core/outbox.py)."""
    now = timezone.now()
    due = DBTaskResult.objects.ready()
    oldest_task = due.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    tasks = due.count()
    return {
        "ok": True,
        "depth": tasks + outbox.queue_state(now=now)["due"],
        "tasks": tasks,
        "oldest_seconds": round((now - oldest_task).total_seconds(), 1) if oldest_task else 0,
    }


def _email() -> dict:
    """Whether email is going out: the oldest due email's wait, emails waiting to be retried and
    what the mail server said last. Unhealthy when the oldest has waited too long."""
    state = outbox.queue_state()
    return {"ok": state["oldest_due_seconds"] <= settings.HEALTH_MAX_EMAIL_WAIT_SECONDS, **state}


@never_cache
def health(request):
    checks = {}
    for name, probe in (("database", _database), ("cache", _cache), ("workers", _workers), ("queue", _queue), ("email", _email)):
        try:
            checks[name] = probe()
        except Exception as error:  # the point is to report failures, not to raise them
            logger.warning("Health check %s failed: %s", name, type(error).__name__)
            checks[name] = {"ok": False, "error": type(error).__name__}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unhealthy", "checks": checks}, status=200 if healthy else 503)
