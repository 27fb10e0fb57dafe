"""Scale-out, for real: two web servers and two task workers sharing one PostgreSQL and one Redis.

Everything runs as separate `groundswell serve` / `groundswell worker` processes, as on several
machines, against a database of their own (created here, migrated with `groundswell migrate`,
dropped afterwards) and a real SMTP server. Nothing is mocked.
"""

import json
import re
import time
from collections import Counter

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.operations.processes import Browser, groundswell, groundswell_environment, start_groundswell, stop, wait_until
from tests.support.mail import LocalSMTPServer, free_port

PETITION = "end-police-led-crisis-care"  # from the demo data
SIGNERS = 16
LOGIN_FAILURE_LIMIT = 4
REDIS_URL = "redis://127.0.0.1:6379/13"

pytestmark = pytest.mark.django_db


def _admin_connection(database: dict):
    return psycopg.connect(
        dbname="postgres", host=database.get("HOST") or None, port=database.get("PORT") or None,
        user=database.get("USER") or None, password=database.get("PASSWORD") or None, autocommit=True,
    )


@pytest.fixture
def shared_postgres_database():
    """A PostgreSQL database for the subprocesses, separate from the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... (CI runs this on PostgreSQL)")
    database = settings.DATABASES["default"]
    name = f"{database['NAME']}_processes"[:63]
    with _admin_connection(database) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = database.get("USER") or "postgres"
    if database.get("PASSWORD"):
        credentials += f":{database['PASSWORD']}"
    yield f"postgres://{credentials}@{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}/{name}"
    with _admin_connection(database) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def shared_redis():
    try:
        # This test's own Redis database: emptied first, so rate-limit counters from an earlier
        # run (same petition ids, same hour) cannot hold back this run's supporters.
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.RedisError as error:
        pytest.fail(f"This test needs Redis at {REDIS_URL} ({error}).")
    return REDIS_URL


def test_two_servers_and_two_workers_share_signatures_rate_limits_and_send_each_email_once(
    shared_postgres_database, shared_redis, tmp_path
):
    smtp = LocalSMTPServer().start()
    ports = [free_port(), free_port()]
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    environment = groundswell_environment(
        DATABASE_URL=shared_postgres_database,
        CACHE_URL=shared_redis,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=servers[0],
        GROUNDSWELL_DATA_DIR=tmp_path / "data",
        SMTP_HOST=smtp.host,
        SMTP_PORT=smtp.port,
        DEFAULT_FROM_EMAIL="Groundswell test <petitions@example.org>",
        LOGIN_FAILURE_LIMIT=LOGIN_FAILURE_LIMIT,
        WORKER_HEARTBEAT_SECONDS=2,
        LOG_FORMAT="json",
        TRUSTED_PROXY_COUNT=1,
    )
    processes = []
    try:
        migrated = groundswell("migrate", "--no-input", environment=environment)
        assert migrated.returncode == 0, migrated.stderr
        demo = groundswell("demo", "--no-serve", environment=environment)
        assert demo.returncode == 0, demo.stderr
        for index, port in enumerate(ports):
            processes.append(start_groundswell("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
                                               environment=environment, log=tmp_path / f"web{index}.log"))
        for index in range(2):
            processes.append(start_groundswell("worker", "--interval", "0.2", environment=environment, log=tmp_path / f"worker{index}.log"))
        first, second = Browser(servers[0]), Browser(servers[1])

        # Both servers up, and each sees both workers' heartbeats (in the shared database).
        def healthy(browser):
            try:
                status, body = browser.request("/health/")
            except OSError:
                return None
            return json.loads(body) if status == 200 and json.loads(body)["checks"]["workers"]["live"] == 2 else None

        for browser in (first, second):
            health = wait_until(lambda: healthy(browser), timeout=90, what=f"{browser.base_url}/health/ to report two workers")
            assert health["checks"]["cache"]["ok"] and health["checks"]["database"]["ok"]

        def count(browser) -> int:
            status, body = browser.request(f"/petitions/{PETITION}.json")
            assert status == 200
            return json.loads(body)["signature_count"]

        before = count(first)
        assert count(second) == before

        # Many supporters sign, alternately through each server.
        signers = [f"signer{n}@example.org" for n in range(SIGNERS)]
        for n, email in enumerate(signers):
            supporter = Browser(servers[n % 2], forwarded_for=f"198.51.100.{n + 1}")
            status, page = supporter.submit(
                f"/petitions/{PETITION}/",
                {"name": f"Signer {n}", "email": email, "where": "uk", "postcode": "GU2 7XX", "country": "", "consent": "on"},
            )
            assert status == 200 and "Check your email" in page, page[:500]

        # Each confirmation email is sent exactly once, though two workers compete for the tasks.
        wait_until(
            lambda: {r for m in smtp.messages for r in m.envelope_to} >= set(signers),
            timeout=60, what="a confirmation email for every signer",
        )
        time.sleep(3)  # time for a duplicate to arrive, if a task were ever run twice
        sent = Counter(recipient for message in smtp.messages for recipient in message.envelope_to if recipient in signers)
        assert sent == Counter({email: 1 for email in signers})

        # Confirming through the *second* server the links the first server's address is in.
        # (The demo's organiser is also told its petition passed a threshold: not a signer's email.)
        for message in [m for m in smtp.messages if set(m.envelope_to) & set(signers)]:
            link = next(link for link in message.links() if "/confirm/" in link)
            path = re.sub(r"^https?://[^/]+", "", link)
            status, _ = Browser(servers[1]).submit(path, {})
            assert status == 200
        assert count(first) == before + SIGNERS
        assert count(second) == before + SIGNERS

        # The login rate limit holds across both servers: failures on either count towards one
        # limit. The failure that reaches the limit is itself refused, and so is the right password.
        organiser = "organiser@example.org"
        password = (tmp_path / "data" / "demo-organiser-password").read_text().strip()
        status, page = Browser(servers[1]).submit("/accounts/login/", {"username": organiser, "password": password})
        assert status == 200 and "Your campaigns" in page  # the right password works, before the failures
        statuses = []
        for attempt in range(LOGIN_FAILURE_LIMIT):
            browser = (first, second)[attempt % 2]
            status, page = browser.submit("/accounts/login/", {"username": organiser, "password": f"wrong-{attempt}"})
            statuses.append(status)
            assert ("We could not log you in" in page) if status == 200 else ("Too many login attempts" in page)
        assert statuses == [200] * (LOGIN_FAILURE_LIMIT - 1) + [429]
        for browser in (first, second):
            status, page = browser.submit("/accounts/login/", {"username": organiser, "password": password})
            assert status == 429 and "Too many login attempts" in page
    finally:
        stop(processes)
        smtp.stop()
    # The processes logged one JSON object per line (LOG_FORMAT=json), and no supporter's address.
    json_lines = []
    for log in ("web0.log", "web1.log", "worker0.log", "worker1.log"):
        text = (tmp_path / log).read_text()
        assert "signer" not in text
        json_lines += [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    assert json_lines and all(line["level"] and line["logger"] and line["message"] for line in json_lines)


SIGN_IN_A_SUBPROCESS = """
from tests.factories import make_petition, sign
petition = make_petition()
for n in range({count}):
    sign(petition, email=f"queued{{n}}@example.org")
"""
COUNT_HEARTBEATS = "from groundswell.operations.models import WorkerHeartbeat; print(WorkerHeartbeat.objects.count())"


@pytest.fixture
def subprocess_database(request, tmp_path):
    """Environment for subprocesses with a database of their own: a fresh PostgreSQL database when
    the tests run on PostgreSQL, else the embedded default (SQLite in WAL mode) in a fresh folder."""
    if connection.vendor == "postgresql":
        return {"DATABASE_URL": request.getfixturevalue("shared_postgres_database")}
    return {}


def test_two_workers_take_each_task_exactly_once_and_say_goodbye(subprocess_database, tmp_path):
    """On whichever database the suite runs on: SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite."""
    smtp = LocalSMTPServer().start()
    environment = groundswell_environment(
        **subprocess_database,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        GROUNDSWELL_DATA_DIR=tmp_path / "data",
        SMTP_HOST=smtp.host,
        SMTP_PORT=smtp.port,
        WORKER_HEARTBEAT_SECONDS=1,
    )
    (tmp_path / "data").mkdir()
    count = 30
    workers = []
    try:
        migrated = groundswell("migrate", "--no-input", environment=environment)
        assert migrated.returncode == 0, migrated.stderr
        signed = groundswell("shell", "--no-imports", "-c", SIGN_IN_A_SUBPROCESS.format(count=count), environment=environment)
        assert signed.returncode == 0, signed.stderr
        workers = [
            start_groundswell("worker", "--interval", "0.1", environment=environment, log=tmp_path / f"worker{n}.log")
            for n in range(2)
        ]
        wait_until(lambda: len(smtp.messages) >= count, timeout=90, what=f"{count} confirmation emails")
        beating = groundswell("shell", "--no-imports", "-c", COUNT_HEARTBEATS, environment=environment)
        assert beating.stdout.split() == ["2"], beating.stderr
        time.sleep(2)  # time for a duplicate to arrive, if a task were ever run twice
        sent = Counter(recipient for message in smtp.messages for recipient in message.envelope_to)
        assert sent == Counter({f"queued{n}@example.org": 1 for n in range(count)})
    finally:
        stop(workers)
        smtp.stop()
    # Stopped with SIGTERM (as systemd does), each worker removed its heartbeat on the way out.
    gone = groundswell("shell", "--no-imports", "-c", COUNT_HEARTBEATS, environment=environment)
    assert gone.stdout.split() == ["0"], gone.stderr
