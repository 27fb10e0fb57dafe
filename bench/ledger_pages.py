"""How the ledger's public pages and organisers' history scale: queries and time per request.

Run:  .venv/bin/python bench/ledger_pages.py [targets] [asks_per_target]
It builds a throwaway SQLite database in a temporary directory (or uses DATABASE_URL, which it
migrates: point it at a scratch database), fills one campaign's ledger, and prints, for each page,
the number of SQL queries and the median time of 5 requests. Nothing is asserted.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("GROUNDSWELL_DATA_DIR", tempfile.mkdtemp(prefix="groundswell-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from groundswell.accounts.actions import add_organiser, create_organisation  # noqa: E402
from groundswell.campaigns.models import Campaign  # noqa: E402
from groundswell.ledger.models import Ask, Commitment, Response, Target  # noqa: E402


def build(targets: int, asks_per_target: int):
    call_command("migrate", verbosity=0)
    organisation = create_organisation(name="Bench Coalition", slug="bench-coalition")
    user = add_organiser(organisation=organisation, email="bench@example.org", password="bench-password-123")
    campaign = Campaign.objects.create(organisation=organisation, slug="bench", title="Bench", summary="x", is_public=True)
    start = date(2023, 1, 1)
    for t in range(targets):
        target = Target(organisation=organisation, name=f"Target {t}", kind="nhs_body")
        target._history_user = user
        target.save()
        for a in range(asks_per_target):
            ask = Ask(campaign=campaign, target=target, asked_on=start + timedelta(days=a), text="Please act.")
            ask._history_user = user
            ask.save()
            if (t + a) % 3:  # two in three asks answered, each with two commitments
                response = Response(ask=ask, received_on=ask.asked_on + timedelta(days=20), classification="committed",
                                    summary="We will.", source_url="https://example.org/r")
                response._history_user = user
                response.save()
                for c in range(2):
                    commitment = Commitment(response=response, promise=f"Promise {c}", due_on=start + timedelta(days=200))
                    commitment._history_user = user
                    commitment.save()
    return user


def measure(client, url):
    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        assert response.status_code == 200, (url, response.status_code)
    return len(queries), statistics.median(times) * 1000


def main():
    targets = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    asks = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    user = build(targets, asks)
    public = Client(HTTP_HOST="127.0.0.1")
    organiser = Client(HTTP_HOST="127.0.0.1")
    organiser.force_login(user)
    first = Target.objects.order_by("pk").first()
    print(f"ledger: {targets} targets, {Ask.objects.count()} asks, {Response.objects.count()} responses, "
          f"{Commitment.objects.count()} commitments ({connection.vendor})")
    for label, client, url in [
        ("campaign page (scoreboard)", public, "/campaigns/bench/"),
        ("target timeline", public, f"/campaigns/bench/ledger/{first.pk}/"),
        ("ledger.json", public, "/campaigns/bench/ledger.json"),
        ("Atom feed", public, "/campaigns/bench/ledger/feed/"),
        ("organiser target page + history", organiser, f"/organise/ledger/targets/{first.pk}/"),
        ("organiser history (latest 200)", organiser, "/organise/ledger/history/"),
    ]:
        count, ms = measure(client, url)
        print(f"{label:34} {count:5d} queries  {ms:8.1f} ms median of 5")


if __name__ == "__main__":
    main()
