"""Benchmark protection: the cost of screening a signature, the moderators' source tables, and a
bulk invalidation, on a throwaway SQLite database (or DATABASE_URL). Prints numbers; asserts nothing.

    .venv/bin/python bench/protection.py [signatures]
"""

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("GROUNDSWELL_DATA_DIR", tempfile.mkdtemp(prefix="groundswell-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
os.environ["LOG_LEVEL"] = "WARNING"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from groundswell.accounts.actions import create_organisation  # noqa: E402
from groundswell.campaigns.models import Campaign  # noqa: E402
from groundswell.petitions.models import Petition, Signature  # noqa: E402
from groundswell.petitions.queries import count_signatures  # noqa: E402
from groundswell.moderation import actions, queries  # noqa: E402
from groundswell.moderation.models import ModerationRecord  # noqa: E402
from groundswell.moderation.tasks import run_invalidation  # noqa: E402
from groundswell.protection import formguard  # noqa: E402
from groundswell.protection.screening import screen_signature  # noqa: E402
from groundswell.supporters.models import ConsentStatement  # noqa: E402


def main(n: int):
    call_command("migrate", verbosity=0)
    organisation = create_organisation(name="Bench", slug=f"bench-{time.time_ns()}")
    campaign = Campaign.objects.create(organisation=organisation, slug=f"c-{time.time_ns()}", title="C", summary="s", is_public=True)
    today = timezone.localdate()
    petition = Petition.objects.create(
        campaign=campaign, slug=f"p-{time.time_ns()}", title="P", ask="a", why="w", addressed_to="x",
        opens_on=today, closes_on=today + timezone.timedelta(days=30), state=Petition.State.OPEN,
    )

    factory = RequestFactory()
    calls = 2000
    started = time.perf_counter()
    for i in range(calls):
        request = factory.post("/", {formguard.TOKEN_FIELD: formguard.make_form_token(petition.pk, issued_at=time.time() - 60)},
                               REMOTE_ADDR=f"10.{i % 250}.{i // 250}.1")
        screen_signature(request, petition=petition, email=f"p{i}@example.org")
    per_call = (time.perf_counter() - started) / calls
    print(f"screen_signature: {per_call * 1e6:.0f} µs per signing attempt ({calls} attempts, locmem cache)")

    consent = ConsentStatement.for_text(purpose="record_signature", text="bench")
    now = timezone.now()
    with transaction.atomic():
        Signature.objects.bulk_create(
            Signature(
                petition=petition, name="N", email=f"s{i}@example.org", email_normalised=f"s{i}@example.org",
                email_domain="example.org", country="GB", constituency_code=f"E{i % 650:08d}", consent=consent,
                created_at=now, ip_address=f"10.{(i // 256) % 256}.{i % 256}.7", ip_network=f"10.{(i // 256) % 256}.{i % 256}.0/24",
            )
            for i in range(n)
        )
    from groundswell.petitions.actions import recount_petition

    Signature.objects.filter(petition=petition).update(confirmed_at=now)
    recount_petition(petition=petition)
    assert count_signatures(petition) == n

    started = time.perf_counter()
    queries.top_sources(petition, hours=24)
    print(f"top_sources (last day, {n} signatures): {(time.perf_counter() - started) * 1000:.0f} ms")

    started = time.perf_counter()
    matching = queries.signatures_matching(petition, {"network": "10.0.0.0/9"})
    print(f"preview of an IP-range invalidation ({len(matching)} of {n} match): {(time.perf_counter() - started) * 1000:.0f} ms")

    record = actions.start_invalidation(petition=petition, criteria={"network": "10.0.0.0/9"}, moderator=None)
    started = time.perf_counter()
    run_invalidation.call(record.pk)
    elapsed = time.perf_counter() - started
    record = ModerationRecord.objects.get(pk=record.pk)
    print(f"bulk invalidation: {record.changed} signatures in {elapsed:.2f} s ({record.changed / elapsed:.0f} per second); "
          f"count {n} -> {count_signatures(petition)}")

    challenge = formguard.make_challenge()
    started = time.perf_counter()
    formguard.solve_challenge(challenge["salt"], challenge["challenge"], challenge["max_number"])
    print(f"proof of work (max {challenge['max_number']}), one solve in CPython: {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
