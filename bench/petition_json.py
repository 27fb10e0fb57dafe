#!/usr/bin/env python3
"""How fast does a petition with 1,000,000 confirmed signatures serve its JSON, with the counts of
all 650 constituencies and their MPs? The issue's bar: under 50 ms.

    .venv/bin/python bench/petition_json.py [--database sqlite|postgresql] [--signatures 1000000]
        [--requests 200] [--no-signature-rows] [--pack ../shared/data/uk-geography]

What it builds, on a fresh database: the real 650 constituencies and their MPs (from the pack's
constituencies.csv and members.csv, with a one-line postcode file: the JSON does not read
postcodes); one open petition; 1,000,000 real confirmed Signature rows spread over the
constituencies (3% abroad), inserted in bulk (unless --no-signature-rows); and the count rows
as live confirmations leave them: every (country, constituency) spread over all 16 shards,
about 10,500 rows, whose sum is checked against the confirmed signatures.

What it times: GET /petitions/<slug>.json through Django's test client (the full middleware
stack and view, no network), one cold request (a new process's first, which also loads the
constituency directory; the process's own start-up is timed separately, on another page) and
then --requests more; it prints the median, 95th percentile and maximum.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "petition_json_bench"


def setup_environment(database, postgres):
    data_dir = Path(tempfile.mkdtemp(prefix="groundswell-bench-"))
    (data_dir / "static").mkdir()
    os.environ.update({
        "SECRET_KEY": "bench-only-secret-key", "ALLOWED_HOSTS": "testserver", "SITE_URL": "http://testserver",
        "GROUNDSWELL_DATA_DIR": str(data_dir), "DEBUG": "false", "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "groundswell.settings",
    })
    os.environ.pop("DATABASE_URL", None)
    if database == "postgresql":
        import psycopg

        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
            conn.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        os.environ["DATABASE_URL"] = f"{postgres}/{BENCH_DATABASE}"
    return data_dir


def small_pack(pack: Path, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    for name in ("constituencies.csv", "members.csv", "README.md"):
        shutil.copy(pack / name, into / name)
    (into / "postcodes.csv").write_text("postcode,gss_code\nGU2 7XX,E14001234\n")
    return into


def insert_signatures(petition, consent, plan, rng):
    """Bulk-insert confirmed signatures: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection, transaction
    from django.utils import timezone

    table = "petitions_signature"
    now = timezone.now()
    columns = ("petition_id", "public_id", "name", "email", "email_normalised", "postcode", "country",
               "constituency_code", "created_at", "confirmed_at", "consent_id")
    n = 0
    batch = []

    def flush():
        if not batch:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["?"] * len(columns))
                connection.connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", batch)
        batch.clear()

    stamp = now.isoformat() if connection.vendor != "postgresql" else now
    for country, code, count in plan:
        for _ in range(count):
            n += 1
            email = f"signer{n}@example.org"
            public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            batch.append((petition.pk, public_id.hex if connection.vendor != "postgresql" else public_id, "A Signer", email, email,
                          "", country, code, stamp, stamp, consent.pk))
            if len(batch) >= 50_000:
                flush()
    flush()
    return n


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--signatures", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-signature-rows", action="store_true", help="only the count rows (faster set-up)")
    parser.add_argument("--pack", type=Path, default=ROOT.parent / "shared" / "data" / "uk-geography")
    args = parser.parse_args()
    data_dir = setup_environment(args.database, args.postgres)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from groundswell.geography import actions as geography_actions
    from groundswell.petitions.models import SignatureCount
    from groundswell.petitions.queries import count_signatures
    from groundswell.supporters.models import ConsentStatement
    from tests.factories import make_petition

    try:
        call_command("migrate", verbosity=0)
        geography_actions.import_pack(directory=small_pack(args.pack, data_dir / "pack"))
        petition = make_petition(slug="a-million")
        rng = random.Random(1)
        codes = [line.split(",")[0] for line in (args.pack / "constituencies.csv").read_text().splitlines()[1:]]
        abroad = int(args.signatures * 0.03)
        weights = [rng.random() + 0.2 for _ in codes]
        spread = [int((args.signatures - abroad) * w / sum(weights)) for w in weights]
        spread[0] += args.signatures - abroad - sum(spread)
        plan = [("GB", code, count) for code, count in zip(codes, spread)]
        countries = ["IE", "FR", "DE", "US", "ES", "AU", "CA", "NL"]
        plan += [(c, "", abroad // len(countries) + (abroad % len(countries) if i == 0 else 0)) for i, c in enumerate(countries)]

        started = time.monotonic()
        if not args.no_signature_rows:
            consent = ConsentStatement.for_text(purpose=ConsentStatement.Purpose.RECORD_SIGNATURE, text="I agree.")
            inserted = insert_signatures(petition, consent, plan, rng)
            print(f"inserted {inserted:,} confirmed signature rows in {time.monotonic() - started:.1f} s")
        shards = settings.SIGNATURE_COUNT_SHARDS
        rows = []
        for country, code, count in plan:
            for shard in range(shards):
                rows.append(SignatureCount(petition=petition, country=country, constituency_code=code, shard=shard,
                                           count=count // shards + (count % shards if shard == 0 else 0)))
        SignatureCount.objects.bulk_create(rows, batch_size=2000)
        total = count_signatures(petition)
        assert total == args.signatures, total
        if not args.no_signature_rows:
            confirmed = petition.signatures.filter(confirmed_at__isnull=False).count()
            assert confirmed == total, (confirmed, total)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{args.database}: petition with {total:,} confirmed signatures, {len(rows):,} count rows "
              f"({len(plan)} areas x {shards} shards)")

        client = Client()
        url = f"/petitions/{petition.slug}.json"
        # A new process's first request also loads Django's middleware (WhiteNoise indexes the
        # static files) and imports views: time that on another address (the per-area CSV, which
        # does not read the constituencies), so that the "first JSON request" below is the
        # JSON's own first request (which loads the constituency directory).
        t = time.perf_counter()
        b"".join(client.get(f"/petitions/{petition.slug}/counts.csv").streaming_content)
        process_start = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        response = client.get(url)
        cold = (time.perf_counter() - t) * 1000
        data = response.json()
        assert response.status_code == 200 and len(data["signatures_by_constituency"]) == 650
        assert sum(row["signatures"] for row in data["signatures_by_constituency"]) == args.signatures - abroad
        timings = []
        for _ in range(args.requests):
            t = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        from groundswell.geography import queries as geography_queries

        geography_queries._directory_cache.clear()  # as after a new import: the directory reloads
        t = time.perf_counter()
        client.get(url)
        reload_ms = (time.perf_counter() - t) * 1000
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{args.database}: a new process's first request (another page): {process_start:.1f} ms")
        print(f"{args.database}: JSON {len(response.content) / 1024:.0f} KB, 650 constituencies with MPs; "
              f"first JSON request {cold:.1f} ms; warm over {args.requests} requests: median {statistics.median(timings):.1f} ms, "
              f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; first request after the constituency directory "
              f"is dropped (as after an import): {reload_ms:.1f} ms (bar: 50 ms)")
    finally:
        connection.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        if args.database == "postgresql":
            import psycopg

            with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")


if __name__ == "__main__":
    main()
