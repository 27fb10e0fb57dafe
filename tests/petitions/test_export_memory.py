"""The export streams in constant memory: three times the supporters, about the same peak."""

import tracemalloc

import pytest
from django.urls import reverse
from django.utils import timezone

from groundswell.petitions.forms import consent_wording, updates_wording
from groundswell.petitions.models import Signature
from groundswell.supporters.models import ConsentStatement
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition

pytestmark = pytest.mark.django_db


def add_supporters(petition, n, start):
    consent = ConsentStatement.for_text(purpose="record_signature", text=consent_wording(petition))
    updates = ConsentStatement.for_text(purpose="campaign_updates", text=updates_wording(petition))
    now = timezone.now()
    Signature.objects.bulk_create(
        [
            Signature(
                petition=petition, name=f"Person {i}", email=f"p{i}@example.org", email_normalised=f"p{i}@example.org",
                consent=consent, updates_consent=updates, created_at=now, confirmed_at=now,
            )
            for i in range(start, start + n)
        ],
        batch_size=1000,
    )


def peak_while_streaming(client, organisation) -> tuple[int, int]:
    tracemalloc.start()
    response = client.post(reverse("petitions:export_csv", args=[organisation.slug]))
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return lines - 1, peak


def test_three_times_the_supporters_take_about_the_same_memory(client):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation, role="owner"))
    petition = make_petition(make_campaign(organisation))
    add_supporters(petition, 5_000, 0)  # more than one chunk (iterator(chunk_size=2000))
    peak_while_streaming(client, organisation)  # the first run also loads code and templates
    small_rows, small_peak = peak_while_streaming(client, organisation)
    add_supporters(petition, 10_000, 5_000)
    large_rows, large_peak = peak_while_streaming(client, organisation)
    assert (small_rows, large_rows) == (5_000, 15_000)
    print(f"peak while streaming: {small_rows} rows {small_peak / 1e6:.1f} MB, {large_rows} rows {large_peak / 1e6:.1f} MB")
    assert large_peak < 1.5 * small_peak
