"""A petition with 10 signatures against one with 10 million: page, JSON and counts CSV.

    .venv/bin/python bench/big_petition.py                     # PostgreSQL and SQLite
    .venv/bin/python bench/big_petition.py --database sqlite

Reading a petition never touches its signature rows: counts come from SignatureCount, whose size
is bounded by areas x shards (650 constituencies x 16 shards = 10,400 rows at most per country),
not by the number of signatures. So this script builds, for each petition, the count rows a
petition of that size has after signing spread over every constituency and shard (10 million
signature rows would take gigabytes and prove nothing more, since no read path looks at them).
It then times, with the page cache off so every request does the real work, the petition page,
its JSON and its CSV, and the peak memory of streaming the CSV. It prints a table.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def configure(database: str) -> None:
    from viral_load import recreate_postgres_database

    os.environ.update(
        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="testserver", SITE_URL="http://testserver",
        GROUNDSWELL_DATA_DIR=tempfile.mkdtemp(prefix="groundswell-big-"), LOG_LEVEL="WARNING",
        PUBLIC_PAGE_CACHE_SECONDS="0", DJANGO_SETTINGS_MODULE="groundswell.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    if database == "postgres":
        os.environ["DATABASE_URL"] = recreate_postgres_database()


def build(signatures: int, slug: str, shards: int = 16, areas: int = 650):
    from datetime import timedelta

    from django.utils import timezone

    from groundswell.accounts.actions import create_organisation
    from groundswell.campaigns.models import Campaign
    from groundswell.petitions.models import Petition, SignatureCount

    organisation = create_organisation(name=f"Org {slug}", slug=slug)
    campaign = Campaign.objects.create(organisation=organisation, slug=slug, title=slug, summary=slug, is_public=True)
    today = timezone.localdate()
    petition = Petition.objects.create(
        campaign=campaign, slug=slug, title=f"A petition with {signatures:,} signatures", ask="Ask.", why="Why.",
        addressed_to="Someone", opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30),
        state=Petition.State.OPEN,
    )
    rows = []
    cells = [(f"E14{i:06d}", shard) for i in range(areas) for shard in range(shards)]
    cells = cells[: max(1, min(len(cells), signatures))]
    per_cell, extra = divmod(signatures, len(cells))
    for index, (code, shard) in enumerate(cells):
        rows.append(SignatureCount(petition=petition, country="GB", constituency_code=code, shard=shard, count=per_cell + (index < extra)))
    SignatureCount.objects.bulk_create(rows, batch_size=2000)
    return petition, len(rows)


def time_requests(client, path: str, repeat: int) -> tuple[float, float]:
    for _ in range(5):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.99 * (len(samples) - 1))]


def csv_peak_kib(client, path: str) -> tuple[float, int]:
    tracemalloc.start()
    response = client.get(path)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024, size


def run(database: str, repeat: int) -> list[tuple]:
    configure(database)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from groundswell.petitions.queries import count_signatures

    client = Client()
    results = []
    for signatures in (10, 10_000_000):
        petition, rows = build(signatures, slug=f"big-{signatures}")
        assert count_signatures(petition) == signatures
        page = time_requests(client, f"/petitions/{petition.slug}/", repeat)
        data = time_requests(client, f"/petitions/{petition.slug}.json", repeat)
        csv = time_requests(client, f"/petitions/{petition.slug}/counts.csv", max(5, repeat // 5))
        peak_kib, csv_bytes = csv_peak_kib(client, f"/petitions/{petition.slug}/counts.csv")
        results.append((database, signatures, rows, page, data, csv, peak_kib, csv_bytes))
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default=None, help="default: both, each in its own process")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    if args.database is None:
        import subprocess

        for database in ("postgres", "sqlite"):
            subprocess.run([sys.executable, __file__, "--database", database, "--repeat", str(args.repeat)], check=True)
        return 0
    print(f"\n{args.database}: page cache off, in-process (Django test client), median / p99 ms")
    print(f"{'signatures':>12} {'count rows':>11} {'page':>15} {'JSON':>15} {'counts CSV':>15} {'CSV peak KiB':>13} {'CSV bytes':>10}")
    for _db, signatures, rows, page, data, csv, peak, size in run(args.database, args.repeat):
        cell = lambda t: f"{t[0]:.2f} / {t[1]:.2f}"  # noqa: E731
        print(f"{signatures:>12,} {rows:>11,} {cell(page):>15} {cell(data):>15} {cell(csv):>15} {peak:>13,.0f} {size:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
