"""Sending a supporter update to 100,000 people: queueing time, emails a second, peak memory.

    .venv/bin/python bench/update_send.py                                  # SQLite
    .venv/bin/python bench/update_send.py --database postgres              # BENCH_UPDATES_PG_URL
    .venv/bin/python bench/update_send.py --supporters 10000 --workers 1
    .venv/bin/python bench/update_send.py --database postgres --supporters 5000 --profile

It makes an organisation with N opted-in supporters (consent rows, each with a name and a
constituency so the merge fields are filled), writes an update with merge fields, a Markdown
body and a call to action, and presses "send now" (updates.actions.request_sending). Then:

1. queueing: `updates.sending.queue_all` in this process, timed, with the process's peak resident
   memory while it runs (VmHWM, reset just before) beside its resident memory before: the
   audience is walked in batches, so the difference is one batch (UPDATES_QUEUE_BATCH) whatever N is;
2. sending: `groundswell worker` processes (the production command) against bench/smtp_sink.mjs,
   timed from the first message arriving to the last, and each worker's peak resident memory
   (VmHWM) read from /proc when the last message has arrived.

With --profile, the queued update is sent from the queueing process instead, under cProfile:
it prints the worker's CPU milliseconds per email and the functions that took most of it.

PostgreSQL runs in a database of its own (BENCH_UPDATES_PG_URL, default
postgres://postgres@127.0.0.1:5432/updates_bench), dropped and created afresh.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG_URL = os.environ.get("BENCH_UPDATES_PG_URL", "postgres://postgres@127.0.0.1:5432/updates_bench")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_postgres() -> str:
    import psycopg

    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL


def environment(database: str, work: Path, smtp_port: int) -> dict:
    env = dict(os.environ)
    for name in ("DEBUG", "DATABASE_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="127.0.0.1", SITE_URL="https://updates.bench.example",
        GROUNDSWELL_DATA_DIR=str(work), SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_port), LOG_LEVEL="WARNING",
        DEFAULT_FROM_EMAIL="Groundswell <updates@bench.example>", DJANGO_SETTINGS_MODULE="groundswell.settings",
    )
    if database == "postgres":
        env["DATABASE_URL"] = recreate_postgres()
    return env


def run(cmd, env, **kwargs):
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def internal_prepare_and_queue(payload: dict) -> dict:
    """In a subprocess with the benchmark's environment: make the supporters, send, queue."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from groundswell.accounts.actions import add_organiser, create_organisation
    from groundswell.campaigns.models import Campaign
    from groundswell.core.models import OutgoingEmail
    from groundswell.petitions.models import Petition
    from groundswell.supporters.models import ConsentStatement
    from groundswell.updates import actions, sending
    from groundswell.updates.models import Consent, Update

    n = payload["supporters"]
    organisation = create_organisation(name="Benchmark Coalition", slug="bench")
    user = add_organiser(organisation=organisation, email="organiser@bench.example", password=secrets.token_urlsafe(16), role="owner")
    campaign = Campaign.objects.create(organisation=organisation, slug="bench", title="Bench", summary="Bench", is_public=True)
    from django.utils import timezone
    from datetime import timedelta

    today = timezone.localdate()
    petition = Petition.objects.create(campaign=campaign, slug="bench", title="Write to your MP", ask="Please.", why="Because.",
                                       addressed_to="Everyone", opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30),
                                       state=Petition.State.OPEN)
    statement = ConsentStatement.for_text(purpose=ConsentStatement.Purpose.CAMPAIGN_UPDATES, text="Email me news about this campaign.")
    codes = ["E14001234", "E14001063", "S14000061", "W07000081", ""]
    Consent.objects.bulk_create(
        (Consent(organisation=organisation, email_normalised=f"s{i}@bench.example.org", email=f"s{i}@bench.example.org",
                 name=f"Supporter{i} Example", constituency_code=codes[i % len(codes)], statement=statement, source="demo")
         for i in range(n)),
        batch_size=5000,
    )
    body = ("Dear {first_name},\n\nSurrey Police and Surrey and Borders say they will **look at our concerns**.\n\n"
            "Now write to {mp_name}, the MP for {constituency}: it takes five minutes.\n\n- Tell them your story\n- Ask for a meeting\n")
    update = Update.objects.create(organisation=organisation, created_by=user, subject="{first_name}, now write to your MP",
                                   body_markdown=body, call_to_action=f"petition:{petition.pk}")
    actions.request_sending(update=update, user=get_user_model().objects.get(pk=user.pk))
    # Peak resident memory while queueing: reset the high-water mark, read it afterwards.
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    rss_before = vm_hwm_mib(os.getpid())
    profile = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    started = time.perf_counter()
    covered = sending.queue_all(update.pk)
    seconds = time.perf_counter() - started
    if profile is not None:
        import pstats

        profile.disable()
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    peak = vm_hwm_mib(os.getpid())
    queued = OutgoingEmail.objects.filter(kind="updates.update", state="queued").count()
    if payload.get("profile_send"):
        sys.path.insert(0, str(HERE))
        from email_capacity import send_all_under_profile

        return {"queued": queued, **send_all_under_profile()}
    return {"covered": covered, "queued": queued, "queue_seconds": seconds, "queue_peak_mib": peak, "rss_before_mib": rss_before,
            "vendor": connection.vendor}


def vm_hwm_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def profile(database: str, supporters: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"groundswell-updates-{database}-"))
    smtp_port = free_port()
    env = environment(database, work, smtp_port)
    run([sys.executable, "-m", "groundswell.cli", "migrate", "--noinput"], env)
    sink = subprocess.Popen(["node", str(HERE / "smtp_sink.mjs"), str(smtp_port), str(supporters)], stdout=subprocess.PIPE, text=True)
    try:
        assert json.loads(sink.stdout.readline())["listening"] == smtp_port
        result = subprocess.run([sys.executable, __file__, "--internal"], env=env, cwd=ROOT, capture_output=True, text=True, check=True,
                                input=json.dumps({"supporters": supporters, "profile_send": True}))
    finally:
        sink.kill()
    print(result.stderr, file=sys.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(database: str, supporters: int, workers: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"groundswell-updates-{database}-"))
    smtp_port = free_port()
    env = environment(database, work, smtp_port)
    command = [sys.executable, "-m", "groundswell.cli"]
    run([*command, "migrate", "--noinput"], env)
    out = run([sys.executable, __file__, "--internal"], env, input=json.dumps({"supporters": supporters}))
    queued = json.loads(out.strip().splitlines()[-1])
    sink = subprocess.Popen(["node", str(HERE / "smtp_sink.mjs"), str(smtp_port), str(queued["queued"])], stdout=subprocess.PIPE, text=True)
    assert json.loads(sink.stdout.readline())["listening"] == smtp_port
    processes = [
        subprocess.Popen([*command, "worker", "--verbosity", "0"], env=env, cwd=ROOT, stdout=open(work / f"worker{i}.log", "w"), stderr=subprocess.STDOUT)
        for i in range(workers)
    ]
    try:
        done = json.loads(sink.stdout.readline())
        peaks = [vm_hwm_mib(p.pid) for p in processes]
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        sink.kill()
    return {"database": queued["vendor"], "supporters": supporters, **queued, "workers": workers,
            "received": done["received"], "send_seconds": done["seconds"], "per_second": done["received"] / done["seconds"],
            "worker_peak_mib": max(peaks) if peaks else 0.0}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--internal", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", choices=["postgres", "sqlite", "both"], default="sqlite")
    parser.add_argument("--supporters", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="send from one process under cProfile: CPU ms per email")
    args = parser.parse_args(argv)
    if args.internal:
        print(json.dumps(internal_prepare_and_queue(json.loads(sys.stdin.read()))))
        return 0
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    if args.profile:
        for database in databases:
            r = profile(database, args.supporters)
            print(f"{database}: {r['sent']:,} update emails sent by one process, {r['cpu_ms_per_email']:.3f} CPU ms per email (under cProfile)")
        return 0
    print(f"\nSupporter update to {args.supporters:,} people, {args.workers} worker(s)")
    print(f"{'database':>10} {'queued':>9} {'queue s':>8} {'queue RSS MiB':>15} {'sent':>9} {'send s':>8} {'emails/s':>9} {'worker peak MiB':>16}")
    for database in databases:
        r = measure(database, args.supporters, args.workers)
        print(f"{r['database']:>10} {r['queued']:>9,} {r['queue_seconds']:>8.1f} {r['queue_peak_mib']:>6.0f} (from {r['rss_before_mib']:.0f}) {r['received']:>9,} "
              f"{r['send_seconds']:>8.1f} {r['per_second']:>9.0f} {r['worker_peak_mib']:>16.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
