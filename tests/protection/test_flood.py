"""How it is judged: a flood from one network and from one throwaway domain is flagged and not
counted while real supporters signing at the same time are; bulk invalidation removes the flood
and the counts per constituency come out right. Everything goes through the real views."""

import random

import pytest
from django.urls import reverse

from groundswell.petitions.models import Signature
from groundswell.petitions.queries import count_signatures, count_signatures_by_area
from groundswell.moderation.models import ModerationRecord
from groundswell.geography.actions import import_pack
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition
from tests.geography.packs import write_pack
from tests.protection.helpers import confirm_by_link, post_signature
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db

# Real supporters' postcodes and the constituencies the test's small geography pack puts them in
# (tests/geography/packs.py); the signing form looks them up, as it does for everyone.
AREAS = {"GU2 7XX": "E14001234", "GU11 1AA": "E14001063", "AB10 1AB": "S14000061", "LL77 7AA": "W07000081"}


def test_a_flood_is_held_back_real_supporters_count_and_invalidation_clears_it(client, settings, mid_window, tmp_path):
    import_pack(directory=write_pack(tmp_path / "pack"))
    organisation = make_organisation()
    petition = make_petition(make_campaign(organisation))
    rng = random.Random(7)
    real, flood_network, flood_domain = [], [], []
    postcodes = list(AREAS)

    # 300 flood signatures: 150 from one /24 (each from its own address, with ordinary-looking
    # gmail addresses), 150 from scattered addresses at one throwaway domain, all sent at once; 60
    # real supporters from their own networks, mixed in at the same time, at a person's many
    # paces: a browser's autofill sent within a second, a minute's typing, a screen reader user
    # taking hours (within the form's 24 hours). Speed tells them apart from no one: the limits do.
    events = [("network", i) for i in range(150)] + [("domain", i) for i in range(150)] + [("real", i) for i in range(60)]
    rng.shuffle(events)
    responses = set()
    for kind, i in events:
        if kind == "network":
            email, ip, postcode = f"voter.{i}.x{rng.randrange(10**6)}@gmail.com", f"203.0.113.{i + 1}", "GU1 1AA"
            flood_network.append(email)
        elif kind == "domain":
            email, ip, postcode = f"user{i}@throwaway.example", f"100.{64 + i % 60}.{i}.9", "GU11 1AA"
            flood_domain.append(email)
        else:
            email = f"real.person{i}@{rng.choice(['gmail.com', 'outlook.com', 'ourunion.org.uk'])}"
            ip, postcode = f"81.{i}.{rng.randrange(256)}.{rng.randrange(1, 255)}", postcodes[i % len(postcodes)]
            real.append((email, postcode))
        pace = 0.2 if kind != "real" else rng.choice([0.3, 0.9, 45.0, 3 * 3600.0, 23 * 3600.0])
        response = post_signature(client, petition, email=email, ip=ip, postcode=postcode, token_age=pace)
        responses.add((response.status_code, response["Location"]))
    # A flagged signer saw exactly what a counted one saw.
    assert responses == {(302, reverse("petitions:check_email", args=[petition.slug]))}
    assert Signature.objects.count() == 360

    run_queued_tasks()  # the confirmation emails (to the mail folder), so only moderation tasks remain
    # Everyone confirms by the emailed link (a flood with throwaway mailboxes can confirm too).
    for signature in Signature.objects.all():
        confirm_by_link(client, signature)

    by_email = {s.email: s for s in Signature.objects.all()}
    assert all(not by_email[email].flagged_reason for email, _ in real), "a real supporter was held back"
    network_flagged = sum(1 for e in flood_network if by_email[e].flagged_reason == "rate_network")
    domain_flagged = sum(1 for e in flood_domain if by_email[e].flagged_reason == "rate_email_domain")
    assert network_flagged == 150 - 50  # the network limit lets 50 an hour through, then holds back the rest
    assert domain_flagged == 150 - 20  # the domain limit lets 20 an hour through
    assert count_signatures(petition) == 60 + 50 + 20

    # A moderator sees the flood at the top of the last hour's sources.
    moderator = make_organiser(organisation, role="moderator")
    client.force_login(moderator)
    page = client.get(reverse("moderation:petition", args=[petition.pk])).content.decode()
    assert "203.0.113.0/24" in page and "throwaway.example" in page

    # Bulk invalidation by IP range, then by email domain: preview, confirm, task, counts.
    for criteria, expected in (({"network": "203.0.113.0/24"}, 150), ({"email_domain": "throwaway.example"}, 150)):
        preview = client.post(reverse("moderation:invalidate", args=[petition.pk]), criteria)
        assert preview.status_code == 200
        assert f"{expected} <span class=\"count-label\">signatures would be removed" in preview.content.decode()
        started = client.post(reverse("moderation:invalidate", args=[petition.pk]), {**criteria, "confirm": "1"})
        assert started.status_code == 302
        progress = client.get(started["Location"]).content.decode()
        assert 'http-equiv="refresh"' in progress and "Waiting to start" in progress
        assert run_queued_tasks() == 1
        progress = client.get(started["Location"].split("?")[0]).content.decode()
        assert "Finished" in progress and 'http-equiv="refresh"' not in progress

    assert count_signatures(petition) == 60
    expected_areas = {}
    for _, postcode in real:
        expected_areas[AREAS[postcode]] = expected_areas.get(AREAS[postcode], 0) + 1
    assert {row["constituency_code"]: row["signatures"] for row in count_signatures_by_area(petition)} == expected_areas
    # The recount from the signatures agrees with the running counts.
    from groundswell.petitions.actions import recount_petition

    assert recount_petition(petition=petition) == 60
    assert {row["constituency_code"]: row["signatures"] for row in count_signatures_by_area(petition)} == expected_areas

    records = ModerationRecord.objects.filter(petition=petition, kind="invalidate").order_by("created_at")
    assert [(r.moderator_email, r.changed, r.count_change, r.state) for r in records] == [
        (moderator.email, 150, -50, "done"),
        (moderator.email, 150, -20, "done"),
    ]
