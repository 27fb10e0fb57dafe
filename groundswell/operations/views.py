"""/health/: is this site able to do its work? For load balancers, uptime monitors and people.

It answers 200 when the database and cache respond and at least one task worker has a recent
heartbeat, 503 otherwise, with a JSON body saying which part failed. No personal data, no
secrets, nothing about any petition: safe to expose to a monitoring service.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from groundswell.operations.heartbeat import live_worker_count
from groundswell.petitions.models import Signature

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
    """Work waiting now: due tasks, and due signature emails (petitions/outbox.py)."""
    now = timezone.now()
    due = DBTaskResult.objects.ready()
    oldest_task = due.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    emails = Signature.objects.filter(email_due_at__lte=now)
    oldest_email = emails.order_by("email_due_at").values_list("email_due_at", flat=True).first()
    oldest = min((t for t in (oldest_task, oldest_email) if t is not None), default=None)
    return {
        "ok": True,
        "depth": due.count() + emails.count(),
        "tasks": due.count(),
        "signature_emails": emails.count(),
        "oldest_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0,
    }


@never_cache
def health(request):
    checks = {}
    for name, probe in (("database", _database), ("cache", _cache), ("workers", _workers), ("queue", _queue)):
        try:
            checks[name] = probe()
        except Exception as error:  # the point is to report failures, not to raise them
            logger.warning("Health check %s failed: %s", name, type(error).__name__)
            checks[name] = {"ok": False, "error": type(error).__name__}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unhealthy", "checks": checks}, status=200 if healthy else 503)
