import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from groundswell.operations.heartbeat import live_worker_count, record_heartbeat, worker_name
from groundswell.operations.models import WorkerHeartbeat
from tests.factories import make_petition, sign

pytestmark = pytest.mark.django_db


def test_without_a_worker_heartbeat_the_site_is_unhealthy_and_says_why(client):
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["cache"] == {"ok": True}
    assert body["checks"]["workers"] == {"ok": False, "live": 0}
    assert response["Cache-Control"].startswith("max-age=0")


def test_with_a_live_worker_it_is_healthy_and_reports_the_queue_without_personal_data(client):
    record_heartbeat(worker=worker_name(), started_at=timezone.now())
    petition = make_petition()
    sign(petition, email="private.person@example.org", name="Private Person", postcode="GU2 7XX")
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["workers"] == {"ok": True, "live": 1}
    assert body["checks"]["queue"]["depth"] == 1  # the confirmation email, waiting
    text = json.dumps(body)
    for private in ("private", "Private", "GU2", petition.slug):
        assert private not in text


def test_a_worker_that_stopped_beating_is_no_longer_counted(settings):
    record_heartbeat(worker="old-host:1", started_at=timezone.now())
    assert live_worker_count() == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS + 1)):
        assert live_worker_count() == 0
        record_heartbeat(worker="new-host:2", started_at=timezone.now())
        assert live_worker_count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        record_heartbeat(worker="new-host:2", started_at=timezone.now())
        assert list(WorkerHeartbeat.objects.values_list("worker", flat=True)) == ["new-host:2"]


def test_a_broken_cache_makes_the_site_unhealthy(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    record_heartbeat(worker=worker_name(), started_at=timezone.now())
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


def test_it_says_unhealthy_while_no_email_can_be_sent_with_the_oldest_wait_and_the_servers_words(client, stopped_smtp_server, settings):
    """SMTP is down: emails wait. /health/ reports how long the oldest has waited and what went
    wrong (without the address), and turns unhealthy past HEALTH_MAX_EMAIL_WAIT_SECONDS."""
    from tests.support.queue import run_queued_tasks

    settings.HEALTH_MAX_EMAIL_WAIT_SECONDS = 600
    record_heartbeat(worker=worker_name(), started_at=timezone.now())
    sign(make_petition(), email="waiting.person@example.org")
    run_queued_tasks()  # the server is down: the email is postponed
    email = client.get("/health/").json()["checks"]["email"]
    assert email["ok"] is True and email["retrying"] == 1
    assert "ConnectionRefusedError" in email["last_error"]
    with time_machine.travel(timezone.now() + timedelta(minutes=15)):
        record_heartbeat(worker=worker_name(), started_at=timezone.now())
        response = client.get("/health/")
    assert response.status_code == 503
    email = response.json()["checks"]["email"]
    assert email["ok"] is False and email["due"] == 1 and email["oldest_due_seconds"] >= 14 * 60
    assert "waiting.person" not in json.dumps(response.json())
