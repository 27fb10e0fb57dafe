"""How long the near-identical check takes: fingerprinting a letter, and comparing it with the
letters already confirmed to one recipient (the check reads at most 500 fingerprints).

Run:  .venv/bin/python bench/letters_similarity.py [letters_to_one_recipient]
It builds a throwaway SQLite database in a temporary directory (or uses DATABASE_URL, which it
migrates: point it at a scratch database), stores that many confirmed letters to one MP, and
prints the median time of fingerprinting and of the whole check. Nothing is asserted.
"""

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("GROUNDSWELL_DATA_DIR", tempfile.mkdtemp(prefix="groundswell-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from groundswell.accounts.actions import create_organisation  # noqa: E402
from groundswell.campaigns.models import Campaign  # noqa: E402
from groundswell.letters import fingerprints, queries  # noqa: E402
from groundswell.letters.models import Contact, Letter, LetterAction  # noqa: E402

SUGGESTED = " ".join(f"point{i}" for i in range(120))


def own_words(n: int) -> str:
    return " ".join(f"w{n}x{i}" for i in range(60))


def median_ms(function, repeat=20) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    call_command("migrate", verbosity=0)
    organisation = create_organisation(name="Bench Coalition", slug="bench-letters")
    campaign = Campaign.objects.create(organisation=organisation, slug="bench-letters", title="Bench", summary="x", is_public=True)
    action = LetterAction.objects.create(campaign=campaign, slug="bench-letters", title="Bench", subject="Subject", suggested_text=SUGGESTED)
    contact = Contact.objects.create(key="mp:bench", name="Bench MP", email="mp@example.org")
    now = timezone.now()
    Letter.objects.bulk_create(
        Letter(action=action, contact=contact, confirmed_at=now, fingerprint=fingerprints.minhash(own_words(n) + " " + SUGGESTED))
        for n in range(count)
    )
    words = queries.letter_words(subject="Subject", personal=own_words(10**6), body="My very own letter " + own_words(10**6 + 1))
    fingerprint_ms = median_ms(lambda: fingerprints.minhash(words))
    fp = fingerprints.minhash(words)
    check_ms = median_ms(lambda: queries.is_near_identical(action=action, recipient_key="mp:bench", words=words, fingerprint=fp))
    print(f"letters: {count} confirmed letters to one recipient ({os.environ.get('DATABASE_URL', 'sqlite')})")
    print(f"  fingerprint one letter ({len(fingerprints.shingles(words))} shingles): {fingerprint_ms:.2f} ms (median of 20)")
    print(f"  near-identical check (suggested text + up to 500 letters): {check_ms:.2f} ms (median of 20)")


if __name__ == "__main__":
    main()
