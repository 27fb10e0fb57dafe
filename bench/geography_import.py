#!/usr/bin/env python3
"""Import the full UK geography pack (1.7 million postcodes) on SQLite and on PostgreSQL, and
print the wall-clock seconds and the peak memory (maximum resident set size) of the import.

    .venv/bin/python bench/geography_import.py [--pack ../shared/data/uk-geography]
        [--databases sqlite,postgresql] [--postgres postgres://postgres@127.0.0.1:5432]

Each import runs as its own `groundswell geography import` process on a fresh database, so the
numbers are the command's own, start-up included. It imports twice: the first into an empty
database, the second over the first (a re-import builds a new set, compares, switches, and
deletes the old one). The bar in the issue is 60 seconds.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "geography_bench"


def run_measured(command, env):
    """Run a command and return (seconds, peak RSS in MB, stdout), measured with os.wait4."""
    started = time.monotonic()
    out = tempfile.TemporaryFile(mode="w+")
    err = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    out.seek(0)
    err.seek(0)
    stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{stdout}\n{stderr}")
    return seconds, usage.ru_maxrss / 1024, stdout


def postgres_admin(url, statement):
    import psycopg

    with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def bench(database, pack, postgres):
    data_dir = Path(tempfile.mkdtemp(prefix="groundswell-bench-"))
    env = {
        **os.environ,
        "SECRET_KEY": "bench-only-secret-key", "ALLOWED_HOSTS": "localhost", "SITE_URL": "http://localhost",
        "GROUNDSWELL_DATA_DIR": str(data_dir), "DEBUG": "false", "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    if database == "postgresql":
        postgres_admin(postgres, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        postgres_admin(postgres, f"CREATE DATABASE {BENCH_DATABASE}")
        env["DATABASE_URL"] = f"{postgres}/{BENCH_DATABASE}"
    groundswell = [sys.executable, "-m", "groundswell.cli"]
    try:
        run_measured(groundswell + ["migrate", "--verbosity", "0"], env)
        results = []
        for label in ("first import", "re-import"):
            seconds, peak_mb, stdout = run_measured(groundswell + ["geography", "import", str(pack), "--no-progress"], env)
            postcodes = next(line for line in stdout.splitlines() if "postcodes:" in line).split(":", 1)[1].strip()
            results.append((label, seconds, peak_mb, postcodes))
        return results
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if database == "postgresql":
            postgres_admin(postgres, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pack", type=Path, default=ROOT.parent / "shared" / "data" / "uk-geography")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    if not (args.pack / "postcodes.csv.gz").exists():
        sys.exit(f"No geography pack at {args.pack}")
    print(f"Geography import benchmark: {args.pack} ({os.cpu_count()} CPUs)")
    print(f"{'database':<11} {'run':<13} {'seconds':>8} {'peak MB':>8}  postcodes")
    for database in args.databases.split(","):
        for label, seconds, peak_mb, postcodes in bench(database, args.pack, args.postgres):
            verdict = "" if seconds < 60 else "  OVER 60 s"
            print(f"{database:<11} {label:<13} {seconds:8.1f} {peak_mb:8.0f}  {postcodes}{verdict}", flush=True)


if __name__ == "__main__":
    main()
