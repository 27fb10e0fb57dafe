"""The viral-load benchmark: Groundswell in its production configuration, driven as browsers would.

    .venv/bin/python bench/viral_load.py                 # PostgreSQL, then SQLite; 60 s each
    .venv/bin/python bench/viral_load.py --database postgres --duration 60 --clients 64

For each database it starts the same processes docs/deployment.md describes (`groundswell serve`
and `groundswell worker`), a fresh database with one open petition, and bench/loadgen.mjs (Node.js),
which is both the load generator and the SMTP sink the workers send to. The load generator first
measures the ceiling (a minimal Django view on the same server), then signs with unique signers
(GET the form for its CSRF cookie and token, POST), confirms from the emails (GET the link, POST the
button) and reads the count JSON and the petition page throughout. Afterwards this script checks in
the database that every acknowledged signature is stored once and every confirmed one counted once,
prints one table, and exits non-zero if anything was lost or counted twice.

Nothing here is timed by the test suite; tests/bench/test_viral_load.py runs a tiny version of it
only to check that it runs and counts correctly.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import profile_summary  # noqa: E402
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = os.environ.get("BENCH_PG_DATABASE", "groundswell_bench")
# The shared cache, as deployed (deploy/groundswell.env.example): a Redis database of the
# benchmark's own, emptied before each run.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SLUG = "viral-petition"
# Real postcode shapes; without a geography pack they are stored but not looked up.
POSTCODES = ["GU2 7XX", "SW1A 1AA", "M1 1AE", "B33 8TH", "NR1 3QU", "EH1 1YZ", "CF10 1EP", "LS6 2AA"]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def groundswell_command() -> list[str]:
    return [sys.executable, "-m", "groundswell.cli"]


def recreate_postgres_database() -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_BENCH_DB}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"


def production_environment(*, database: str, data_dir: Path, port: int, smtp_port: int) -> dict:
    env = dict(os.environ)
    for name in ("DEBUG", "DATABASE_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        GROUNDSWELL_DATA_DIR=str(data_dir),
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_port),
        BENCH_ENDPOINTS="true",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="groundswell.settings",
    )
    if database == "postgres":
        env["DATABASE_URL"] = recreate_postgres_database()
    import redis

    redis.Redis.from_url(BENCH_REDIS_URL).flushdb()
    env["CACHE_URL"] = BENCH_REDIS_URL
    return env


def run(cmd, env, **kwargs):
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def internal(action: str, env: dict, payload: dict | None = None) -> dict:
    """Run one of this file's in-Django helpers in a subprocess with the benchmark's environment."""
    out = run([sys.executable, __file__, "--internal", action], env, input=json.dumps(payload or {}))
    return json.loads(out.strip().splitlines()[-1])


def _setup_django():
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def internal_setup(_payload: dict) -> dict:
    _setup_django()
    from datetime import timedelta

    from django.utils import timezone

    from groundswell.accounts.actions import create_organisation
    from groundswell.campaigns.models import Campaign
    from groundswell.petitions.models import Petition
    from groundswell.petitions.queries import count_signatures

    organisation = create_organisation(name="Benchmark Coalition", slug="bench")
    from groundswell.protection.models import RateLimits

    # Every simulated signer comes from 127.0.0.1: lift the rate limits, or all but a few are held back.
    unlimited = 10**9
    RateLimits.objects.create(organisation=organisation, ip_burst_limit=unlimited, ip_hourly_limit=unlimited,
                              network_hourly_limit=unlimited, email_domain_hourly_limit=unlimited)
    campaign = Campaign.objects.create(organisation=organisation, slug="bench", title="Bench", summary="Bench", is_public=True)
    today = timezone.localdate()
    petition = Petition.objects.create(
        campaign=campaign, slug=SLUG, title="A petition going viral", ask="Please.", why="Because.",
        addressed_to="Everyone", opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30),
        state=Petition.State.OPEN,
    )
    return {"slug": petition.slug, "initial_count": count_signatures(petition)}


def internal_verify(payload: dict) -> dict:
    """Every acknowledged signature stored exactly once; every confirmed one counted exactly once."""
    _setup_django()
    from groundswell.petitions.models import Petition, Signature
    from groundswell.petitions.queries import count_signatures
    from groundswell.supporters.email_addresses import normalise_email

    petition = Petition.objects.get(slug=SLUG)
    acknowledged = {normalise_email(e) for e in payload["acknowledged"]}
    stored = list(Signature.objects.filter(petition=petition).values_list("email_normalised", "confirmed_at"))
    stored_emails = [email for email, _ in stored]
    confirmed_rows = sum(1 for _, confirmed_at in stored if confirmed_at is not None)
    counted = count_signatures(petition)
    missing = len(acknowledged - set(stored_emails))
    unexpected = len(set(stored_emails) - acknowledged)
    duplicates = len(stored_emails) - len(set(stored_emails))
    return {
        "acknowledged": len(acknowledged),
        "acknowledged_duplicates": len(payload["acknowledged"]) - len(acknowledged),
        "stored": len(stored_emails),
        "missing": missing,
        "unexpected": unexpected,
        "duplicates": duplicates,
        "confirmations_acknowledged": payload["confirmed"],
        "confirmed_rows": confirmed_rows,
        "counted": counted,
        "ok": missing == 0 and duplicates == 0 and counted == confirmed_rows and confirmed_rows >= payload["confirmed"],
    }


def _cpu_ticks(stat_fields: list[str]) -> int:
    """A process's own CPU (user + system) and that of the children it has reaped: a PostgreSQL
    backend that ended with its connection, or a web worker killed and replaced, goes on counting
    through its parent (without the last two, a run whose connections came and went read almost no
    database CPU). stat_fields: /proc/PID/stat after the command's closing parenthesis."""
    return sum(int(field) for field in stat_fields[11:15])


def process_tree_cpu_seconds(root_pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and all its descendants, ended ones
    included."""
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        stats[pid] = _cpu_ticks(fields) / ticks
    total, stack = 0.0, [root_pid]
    while stack:
        pid = stack.pop()
        total += stats.get(pid, 0.0)
        stack.extend(children.get(pid, []))
    return total


def postgres_cpu_seconds() -> float:
    """CPU seconds of every PostgreSQL server process (the database is shared by the whole run),
    backends that have ended included."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() not in {"postgres", "postmaster"}:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += _cpu_ticks(fields) / ticks
    return total


class _Killer(threading.Thread):
    """SIGKILLs one of the web server's worker processes `after` seconds into the main phase, as
    the kernel's out-of-memory killer or a crash would: no clean shutdown, requests in flight
    lost. The server starts a new worker (granian's respawn_failed_workers, gunicorn's arbiter)."""

    def __init__(self, server_pid: int, after: float):
        super().__init__(daemon=True)
        self.server_pid, self.after, self.pid_killed = server_pid, after, None

    def run(self):
        time.sleep(self.after)
        workers = [pid for pid in descendant_pids(self.server_pid) if not descendant_pids(pid)]
        if workers:
            self.pid_killed = max(workers)
            os.kill(self.pid_killed, signal.SIGKILL)


def kill_one_web_worker_later(server_pid: int, after: float) -> _Killer:
    killer = _Killer(server_pid, after)
    killer.start()
    return killer


def descendant_pids(root_pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], list(children.get(root_pid, []))
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def start(cmd, env, log: Path):
    handle = open(log, "w")
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)


def stop(processes):
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def busy_share(before: dict, after: dict, seconds: float) -> float:
    """How much of the machine the measured parts kept busy between two readings: 1.0 is every
    core all the time. Shown beside the CPU figures because they only say where the time went
    when the cores were saturated in both phases."""
    used = sum(after[name] - before[name] for name in after)
    return used / (seconds * len(os.sched_getaffinity(0))) if seconds > 0 else 0.0


def server_command(args, port: int) -> list[str]:
    return [*groundswell_command(), "serve", "--server", args.server, "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.web_workers), "--threads", str(args.web_threads),
            *(["--interface", args.interface] if args.server == "granian" else [])]


# nginx in front, as deploy/nginx/groundswell.conf has it, read from that file so the two cannot
# drift apart: its HTTPS server, with TLS left out (this is loopback) and the plain-HTTP redirect
# dropped, inside an http block whose temporary folders are the run's own.
NGINX_HTTP = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
{site}
}}
"""


def nginx_conf(work: Path, *, port: int, app_port: int) -> str:
    site = (ROOT / "deploy" / "nginx" / "groundswell.conf").read_text()
    site = re.sub(r"\nserver \{\n    listen 80;.*?\n\}\n", "\n", site, count=1, flags=re.S)  # the redirect to HTTPS
    site = re.sub(r"\n *(listen \[::\]:443|ssl_)[^\n]*", "", site)
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    site = site.replace("/var/cache/nginx/groundswell", str(work / "nginx-cache"))
    assert "ssl" not in site and f"127.0.0.1:{port}" in site, "deploy/nginx/groundswell.conf changed shape"
    return NGINX_HTTP.format(work=work, site=site)


def start_nginx(work: Path, *, port: int, app_port: int):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    conf = work / "nginx.conf"
    conf.write_text(nginx_conf(work, port=port, app_port=app_port))
    # nginx started as root runs its workers as an unprivileged user: let them into their folders.
    work.chmod(0o755)
    for name in ("nginx-body", "nginx-proxy", "nginx-fastcgi", "nginx-uwsgi", "nginx-scgi", "nginx-cache"):
        (work / name).mkdir(exist_ok=True)
        (work / name).chmod(0o777)
    return subprocess.Popen([nginx, "-c", str(conf), "-p", str(work), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def run_once(database: str, args) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"groundswell-bench-{database}-"))
    port, smtp_port = free_port(), free_port()
    # With --proxy nginx, browsers talk to nginx on `port` and nginx to the app server.
    app_port = free_port() if args.proxy == "nginx" else port
    env = production_environment(database=database, data_dir=work, port=port, smtp_port=smtp_port)
    if args.proxy == "nginx":
        env["TRUSTED_PROXY_COUNT"] = "1"
    run([*groundswell_command(), "migrate", "--noinput"], env)
    run([*groundswell_command(), "collectstatic", "--noinput"], env)
    setup = internal("setup", env)

    config = {
        "baseUrl": f"http://127.0.0.1:{port}",
        "smtpPort": smtp_port,
        "slug": setup["slug"],
        "initialCount": setup["initial_count"],
        "runId": secrets.token_hex(4),
        "minimalPath": "/_bench/minimal",
        "ceilingSeconds": args.ceiling_seconds,
        "ceilingClients": args.clients,
        "durationSeconds": args.duration,
        "clients": args.clients,
        "confirmers": args.confirmers,
        "countReaders": args.count_readers,
        "pageReaders": args.page_readers,
        "drainSeconds": args.drain_seconds,
        "lagSampleMs": 100,
        "postcodes": POSTCODES,
    }
    loadgen = subprocess.Popen(
        ["node", str(HERE / "loadgen.mjs"), json.dumps(config)], cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    processes = []
    proxy = start_nginx(work, port=port, app_port=app_port) if args.proxy == "nginx" else None
    try:
        ready = json.loads(loadgen.stdout.readline())
        assert ready.get("smtp_ready") == smtp_port, ready
        processes.append(start(server_command(args, app_port), env, work / "server.log"))
        for i in range(args.task_workers):
            processes.append(start([*groundswell_command(), "worker", "--verbosity", "0"], env, work / f"worker{i}.log"))
        # CPU used by each part while the load generator runs (ceiling phase included).
        cpu_before = {"postgres": postgres_cpu_seconds()}
        profiler = None
        if args.profile:
            # Sample the web server's workers during the main phase (after the ceiling phase).
            profiler = subprocess.Popen(
                ["bash", "-c", f"sleep {args.ceiling_seconds + 1}; exec {Path(sys.executable).parent / 'py-spy'} record --nonblocking --subprocesses "
                 + ("--gil " if args.profile_cpu else "")
                 + f"--format raw --rate 200 --duration {int(args.duration) - 2} --pid {processes[0].pid} --output {args.profile}"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        def cpu_seconds_by_part() -> dict:
            cpu = {
                "web server": process_tree_cpu_seconds(processes[0].pid),
                "task workers": sum(process_tree_cpu_seconds(p.pid) for p in processes[1:]),
                "load generator + SMTP sink": process_tree_cpu_seconds(loadgen.pid),
                "postgres": postgres_cpu_seconds() - cpu_before["postgres"],
            }
            if proxy is not None:
                cpu["nginx"] = process_tree_cpu_seconds(proxy.pid)
            return cpu

        outcome = json.loads(loadgen.stdout.readline())
        cpu_at_ceiling = None
        if "ceiling_started" in outcome:
            cpu_at_ceiling = cpu_seconds_by_part(), time.monotonic()  # start-up is behind us
            outcome = json.loads(loadgen.stdout.readline())
        killed = None
        cpu_at_main = None
        if "main_started" in outcome:
            cpu_at_main = cpu_seconds_by_part()  # start-up and the ceiling phase are behind us
            main_started_at = time.monotonic()
            if args.kill_web_worker_after is not None:
                killed = kill_one_web_worker_later(processes[0].pid, args.kill_web_worker_after)
            outcome = json.loads(loadgen.stdout.readline())
        cpu = cpu_seconds_by_part()
        ended_at = time.monotonic()
        if "error" in outcome:
            raise SystemExit(f"load generator failed: {outcome['error']}\nlogs in {work}")
        result = outcome["result"]
        result["cpu_seconds"] = cpu
        if cpu_at_main is not None and result["acknowledged"]:
            # Each part's CPU from the start of signing to the end of the drain, per signature:
            # what a signature costs the whole machine, without start-up or the ceiling phase.
            result["cpu_ms_per_signature"] = {
                name: 1000 * (cpu[name] - cpu_at_main[name]) / len(result["acknowledged"]) for name in cpu
            }
            result["cpu_busy_share"] = {"signing": busy_share(cpu_at_main, cpu, ended_at - main_started_at)}
        if cpu_at_ceiling is not None and cpu_at_main is not None and (result.get("ceiling") or {}).get("ok"):
            # The same for the ceiling phase, per minimal-view request: the yardstick a signature's
            # CPU is measured against, in the same run, so the machine's speed that day cancels out.
            cpu_at_start, ceiling_started_at = cpu_at_ceiling
            result["cpu_ms_per_ceiling_request"] = {
                name: 1000 * (cpu_at_main[name] - cpu_at_start[name]) / result["ceiling"]["ok"] for name in cpu
            }
            result.setdefault("cpu_busy_share", {})["ceiling"] = busy_share(cpu_at_start, cpu_at_main, main_started_at - ceiling_started_at)
        if killed is not None:
            killed.join()
            result["killed_web_worker"] = killed.pid_killed
        if profiler is not None:
            profiler.wait(timeout=60)
            result["profile_shares"] = profile_summary.shares_by_request(args.profile)
    finally:
        stop(processes + ([proxy] if proxy is not None else []))
        if loadgen.poll() is None:
            loadgen.kill()
    result["verify"] = internal("verify", env, {"acknowledged": result.pop("acknowledged"), "confirmed": result["confirmed"]})
    result["database"] = database
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return result


def fmt(value, digits=0):
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


# The requests of one signature, in order, then the readers'; keys of the load generator's result.
FLOW = [
    ("sign_form", "1. sign form GET (the petition page)"),
    ("sign", "2. sign POST"),
    ("signed_page", "3. 'check your email' page GET"),
    ("confirm_page", "4. confirmation link GET"),
    ("confirm", "5. confirm POST"),
    ("confirmed_page", "6. 'thank you' page GET"),
    ("count_reads", "count JSON GET"),
    ("page_reads", "petition page GET (readers)"),
]


def print_table(results: list[dict], args) -> None:
    rows = [
        ("signatures accepted /s", lambda r: fmt(r["sign"]["per_second"])),
        ("sign POST p50 / p99 ms", lambda r: f"{fmt(r['sign']['p50_ms'], 1)} / {fmt(r['sign']['p99_ms'], 1)}"),
        ("sign form GET p50 / p99 ms", lambda r: f"{fmt(r['sign_form']['p50_ms'], 1)} / {fmt(r['sign_form']['p99_ms'], 1)}"),
        ("errors (sign, form, confirm, pages after)", lambda r: f"{r['sign']['errors']}, {r['sign_form']['errors']}, {r['confirm']['errors'] + r['confirm_page']['errors']}, {r['signed_page']['errors'] + r['confirmed_page']['errors']}"),
        ("confirmation emails /s (signing window)", lambda r: fmt(r["emails_per_second_during_signing"])),
        ("confirmations /s", lambda r: fmt(r["confirm"]["per_second"])),
        ("confirm POST p50 / p99 ms", lambda r: f"{fmt(r['confirm']['p50_ms'], 1)} / {fmt(r['confirm']['p99_ms'], 1)}"),
        ("count lag p50 / max s", lambda r: f"{fmt(r['count_lag_seconds']['p50'], 2)} / {fmt(r['count_lag_seconds']['max'], 2)}"),
        ("count JSON reads /s", lambda r: fmt(r["count_reads"]["per_second"])),
        ("count JSON p50 / p99 ms", lambda r: f"{fmt(r['count_reads']['p50_ms'], 1)} / {fmt(r['count_reads']['p99_ms'], 1)}"),
        ("petition page reads /s", lambda r: fmt(r["page_reads"]["per_second"])),
        ("ceiling: minimal view req/s", lambda r: fmt(r["ceiling"]["per_second"]) if r.get("ceiling") else "-"),
        ("signing requests /s vs ceiling", lambda r: f"{100 * 2 * r['sign']['per_second'] / r['ceiling']['per_second']:.0f}%" if r.get("ceiling") else "-"),
        ("acknowledged / stored / missing / dup", lambda r: f"{r['verify']['acknowledged']} / {r['verify']['stored']} / {r['verify']['missing']} / {r['verify']['duplicates']}"),
        ("confirmed / counted", lambda r: f"{r['verify']['confirmed_rows']} / {r['verify']['counted']}"),
        ("nothing lost, nothing counted twice", lambda r: "yes" if r["verify"]["ok"] else "NO"),
    ]
    header = f"{'':42}" + "".join(f"{r['database']:>22}" for r in results)
    print()
    print(f"Viral load: {args.clients} clients, {args.duration:g}s signing; server: {args.server} ({args.interface if args.server == 'granian' else 'wsgi'}), "
          f"{args.web_workers} workers x {args.web_threads} threads; task workers: {args.task_workers}; "
          f"proxy: {args.proxy}")
    print(header)
    for label, cell in rows:
        print(f"{label:42}" + "".join(f"{cell(r):>22}" for r in results))
    print("Per request of the flow: p50 / p99 ms, requests /s" + (", share of the web server's busy samples" if any("profile_shares" in r for r in results) else ""))
    for r in results:
        shares = r.get("profile_shares", {})
        print(f"  {r['database']}:")
        for key, label in FLOW:
            stats = r[key]
            share = f"{100 * shares[key]:5.1f}%" if key in shares else ""
            print(f"    {label:38} {fmt(stats['p50_ms'], 1):>9} / {fmt(stats['p99_ms'], 1):>9} {fmt(stats['per_second']):>7}/s  {share}")
        if shares:
            print(f"    {'outside any view (middleware, server)':38} {'':>29}  {100 * shares['other']:5.1f}%")
        if r.get("killed_web_worker"):
            print(f"    web worker {r['killed_web_worker']} was killed with SIGKILL {args.kill_web_worker_after:g} s into signing")
    print("CPU seconds used during the run, by part (ceiling phase included):")
    for r in results:
        parts = ", ".join(f"{name} {seconds:.1f}" for name, seconds in r["cpu_seconds"].items() if seconds)
        print(f"  {r['database']}: {parts}")
    if any("cpu_ms_per_signature" in r for r in results):
        print("CPU ms per acknowledged signature, by part (from the start of signing to the end of the drain):")
        for r in results:
            per = r.get("cpu_ms_per_signature", {})
            parts = ", ".join(f"{name} {ms:.1f}" for name, ms in per.items())
            print(f"  {r['database']}: {parts}; all {sum(per.values()):.1f}")
    if any("cpu_ms_per_ceiling_request" in r for r in results):
        print("A signature's CPU in minimal-view requests (the whole machine's CPU per request of the ceiling phase, same run):")
        for r in results:
            if "cpu_ms_per_ceiling_request" not in r or "cpu_ms_per_signature" not in r:
                continue
            costs = signature_in_minimal_requests(r)
            busy = r["cpu_busy_share"]
            parts = ", ".join(f"{name} {n:.1f}" for name, n in costs.items())
            print(f"  {r['database']}: {parts}; all {sum(costs.values()):.1f}"
                  f" (cores busy: ceiling {100 * busy['ceiling']:.0f}%, signing and drain {100 * busy['signing']:.0f}%);"
                  f" steady, the two signing requests would get 2 / {sum(costs.values()):.1f} = {200 / sum(costs.values()):.1f}% of the ceiling")
        print("  (the share in the table is higher while confirmations fall behind and finish in the drain);"
              " 25% of the ceiling needs a whole signature to cost at most 8 minimal requests, 50% at most 4")
    print()


def signature_in_minimal_requests(result: dict) -> dict:
    """Each part's CPU per signature, in units of what one minimal-view request cost the whole
    machine in the ceiling phase: how far a signature is from the ceiling, and where."""
    yardstick = sum(result["cpu_ms_per_ceiling_request"].values())
    return {name: ms / yardstick for name, ms in result["cpu_ms_per_signature"].items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--internal", help=argparse.SUPPRESS)
    parser.add_argument("--database", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--clients", type=int, default=64, help="concurrent signing browsers")
    parser.add_argument("--confirmers", type=int, default=16)
    parser.add_argument("--count-readers", type=int, default=16)
    parser.add_argument("--page-readers", type=int, default=4)
    parser.add_argument("--ceiling-seconds", type=float, default=10)
    parser.add_argument("--drain-seconds", type=float, default=10, help="keep confirming this long after signing stops")
    # Defaults: what docs/deployment.md recommends for a 2-core server.
    parser.add_argument("--server", choices=["gunicorn", "granian"], default=os.environ.get("WEB_SERVER", "granian"))
    parser.add_argument("--interface", choices=["wsgi", "asgi"], default=os.environ.get("WEB_INTERFACE", "wsgi"),
                        help="granian's interface (groundswell serve --interface)")
    parser.add_argument("--proxy", choices=["none", "nginx"], default="none",
                        help="nginx in front, as docs/deployment.md has it (needs Debian's nginx); default none")
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2)))
    parser.add_argument("--web-threads", type=int, default=None,
                        help="threads per web worker (default: as groundswell serve has it, WEB_THREADS or by interface)")
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--json", help="also write the full results to this file")
    parser.add_argument("--profile", help="sample the web server with py-spy during signing; collapsed stacks to this file (see bench/profile_summary.py)")
    parser.add_argument("--profile-cpu", action="store_true",
                        help="with --profile, sample only the thread holding the interpreter lock: where the web server's CPU goes, not where its threads wait")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, SQLite file)")
    parser.add_argument("--kill-web-worker-after", type=float, metavar="SECONDS",
                        help="SIGKILL one web server worker this many seconds into signing (nothing may be lost)")
    args = parser.parse_args(argv)
    if args.web_threads is None:
        from groundswell.composition.management.commands.serve import default_threads

        args.web_threads = default_threads("asgi" if args.server == "granian" and args.interface == "asgi" else "wsgi")

    if args.internal:
        payload = json.loads(sys.stdin.read() or "{}")
        print(json.dumps({"setup": internal_setup, "verify": internal_verify}[args.internal](payload)))
        return 0

    databases = ["postgres", "sqlite"] if args.database == "both" else [args.database]
    results = [run_once(database, args) for database in databases]
    print_table(results, args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    lost = [r["database"] for r in results if not r["verify"]["ok"]]
    if lost:
        print(f"FAILED: signatures lost or miscounted on {', '.join(lost)}")
        return 1
    print("Every acknowledged signature is stored exactly once, and every confirmed signature counted exactly once.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
