"""The hidden checks in the signing form: each one flags (never refuses), and a person is not caught."""

import time

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.petitions.models import Signature
from groundswell.petitions.tokens import CONFIRMATION_LINK
from groundswell.petitions.queries import count_signatures
from groundswell.protection import formguard
from groundswell.moderation.actions import set_proof_of_work
from groundswell.protection.models import RateLimits
from tests.factories import make_petition
from tests.protection.helpers import confirm_by_link, form_data, post_signature, token_in
from tests.support.concurrency import run_at_once


@pytest.fixture
def petition(db, mid_window):
    return make_petition()


def _sign_and_confirm(client, petition, **fields):
    response = post_signature(client, petition, **fields)
    assert response.status_code == 302
    signature = Signature.objects.get(email=fields["email"])
    confirm_by_link(client, signature)
    signature.refresh_from_db()
    return signature


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"gs_leave_empty": "http://spam.example"}, "honeypot"),
        ({"gs_form_token": None}, "form_token_missing"),
        ({"gs_form_token": "1:forged:token"}, "form_token_invalid"),
        ({"gs_leave_empty": "http://spam.example", "token_age": 0.1}, "honeypot"),  # fast and a bot
    ],
)
def test_a_tripped_check_stores_the_signature_flagged_and_uncounted(client, petition, changes, reason):
    signature = _sign_and_confirm(client, petition, email="bot@example.org", **changes)
    assert signature.flagged_reason == reason
    assert signature.confirmed_at is not None
    assert count_signatures(petition) == 0


@pytest.mark.parametrize(
    "who, fields",
    [
        ("a browser's autofill, sent within a second", {"token_age": 0.3}),
        ("sent the instant the page arrived", {"token_age": 0.0}),
        ("no JavaScript at all (nothing but the plain form)", {"token_age": 40.0}),
        ("a screen reader user taking most of a day", {"token_age": 23.5 * 3600}),
    ],
)
def test_real_people_at_any_pace_are_counted_once_they_confirm(client, petition, who, fields):
    signature = _sign_and_confirm(client, petition, email="person@example.org", **fields)
    assert signature.flagged_reason == "", who
    assert count_signatures(petition) == 1, who


def test_a_signature_held_back_for_speed_alone_before_is_counted_when_confirmed(client, petition):
    """Signatures stored flagged `too_fast` (before timing stopped counting) are not lost."""
    from groundswell.petitions.actions import sign_petition

    signature = sign_petition(
        petition=petition, name="Quick Fingers", email="quick@example.org", postcode="", country="GB",
        consent_text="Record my signature.", updates_text=None, flagged_reason="too_fast",
    ).signature
    confirm_by_link(client, signature)
    signature.refresh_from_db()
    assert signature.flagged_reason == "" and signature.confirmed_at is not None
    assert count_signatures(petition) == 1
    # Other flags are not lifted by confirming: a moderator decides.
    other = sign_petition(
        petition=petition, name="Bot", email="bot@example.org", postcode="", country="GB",
        consent_text="Record my signature.", updates_text=None, flagged_reason="rate_network",
    ).signature
    confirm_by_link(client, other)
    other.refresh_from_db()
    assert other.flagged_reason == "rate_network"
    assert count_signatures(petition) == 1


def test_the_upgrade_counts_people_held_back_for_speed_alone_and_records_it(petition):
    """The data migration: confirmed `too_fast` signatures (told they counted, never counted) are
    counted, unconfirmed ones lose the flag, other flags stay, and the restore is recorded."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    from groundswell.petitions.actions import confirm_signature, sign_petition
    from groundswell.moderation.models import ModerationRecord

    def signed(email, reason, *, confirm):
        signature = sign_petition(
            petition=petition, name="Someone", email=email, postcode="", country="GB",
            consent_text="Record my signature.", updates_text=None, constituency_code="E14000001",
        ).signature
        if confirm:
            confirm_signature(signature=signature)
        # As the old code left it: flagged, and (if confirmed) never added to the count.
        Signature.objects.filter(pk=signature.pk).update(flagged_reason=reason, flagged_at=timezone.now())
        return signature

    counted = signed("counted@example.org", "", confirm=True)
    fast_confirmed = [signed(f"fast{i}@example.org", "too_fast", confirm=True) for i in range(3)]
    fast_waiting = signed("waiting@example.org", "too_fast", confirm=False)
    flood = signed("flood@example.org", "rate_network", confirm=True)
    from groundswell.petitions.actions import recount_petition

    recount_petition(petition=petition)
    assert count_signatures(petition) == 1

    migration = importlib.import_module("groundswell.protection.migrations.0002_count_signatures_held_back_for_speed")
    # The migration ran when ModerationRecord was still protection's model (it is moderation's now).
    moved = {("protection", "ModerationRecord"): ModerationRecord}
    old_apps = SimpleNamespace(get_model=lambda app, name: moved.get((app, name)) or apps.get_model(app, name))
    migration.lift_timing_flags(old_apps, SimpleNamespace(connection=connection))

    assert count_signatures(petition) == 1 + 3
    reasons = dict(Signature.objects.values_list("email", "flagged_reason"))
    assert reasons == {
        counted.email: "", **{s.email: "" for s in fast_confirmed}, fast_waiting.email: "", flood.email: "rate_network",
    }
    [record] = ModerationRecord.objects.filter(petition=petition)
    assert (record.kind, record.changed, record.count_change) == ("restore", 4, 3)


def test_no_page_a_signer_sees_claims_a_count_that_may_not_happen(client, petition):
    """A held-back signer sees the same pages as anyone, so their words must be true for both."""
    RateLimits.objects.create(organisation=petition.campaign.organisation, ip_burst_limit=0)
    response = post_signature(client, petition, email="held@example.org")
    signature = Signature.objects.get()
    assert signature.flagged_reason == "rate_ip_burst"
    page = client.get(response["Location"]).content.decode()
    assert "not counted until you open that email" in page
    assert "may wait for a person on the campaign team to check it before it is counted" in " ".join(page.split())
    confirm_url = reverse("petitions:confirm", args=[petition.slug, CONFIRMATION_LINK.make(signature.public_id)])
    confirm_page = " ".join(client.get(confirm_url).content.decode().split())
    assert "will then be counted" not in confirm_page
    assert "counted straight away, unless our checks" in confirm_page
    client.post(confirm_url)
    # The link's page reads no database, so it is the button again; pressing it says so.
    again = " ".join(client.post(confirm_url).content.decode().split())
    assert "already confirmed your signature" in again and "counted" not in again.split("<main")[1]
    assert count_signatures(petition) == 0


def test_a_token_for_another_petition_is_not_accepted(client, petition):
    other = make_petition()
    token = formguard.make_form_token(other.pk, issued_at=time.time() - 60)
    signature = _sign_and_confirm(client, petition, email="copy@example.org", gs_form_token=token)
    assert signature.flagged_reason == "form_token_invalid"


def test_a_person_filling_in_the_form_is_counted_and_stores_ip_and_network(client, petition):
    signature = _sign_and_confirm(client, petition, email="person@example.org", ip="2001:db8:abcd:12::5")
    assert signature.flagged_reason == ""
    assert signature.ip_address == "2001:db8:abcd:12::5"
    assert signature.ip_network == "2001:db8:abcd::/48"
    assert signature.email_domain == "example.org"
    assert count_signatures(petition) == 1


def test_a_form_left_open_too_long_is_shown_again_with_the_answers_kept(client, petition, settings):
    response = post_signature(client, petition, email="slow@example.org", name="Slow Reader", token_age=25 * 3600)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your answers are still here" in html
    assert 'value="Slow Reader"' in html and 'value="slow@example.org"' in html
    assert not Signature.objects.exists()
    # Sending the re-shown form (with its fresh token) a little later signs and counts.
    data = form_data(petition, email="slow@example.org", name="Slow Reader")
    data["gs_form_token"] = token_in(html)
    with time_machine.travel(time.time() + 10):
        again = client.post(reverse("petitions:detail", args=[petition.slug]), data)
    assert again.status_code == 302
    assert Signature.objects.get().flagged_reason == ""


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, petition):
    html = client.get(reverse("petitions:detail", args=[petition.slug])).content.decode()
    trap = html.split('class="protection-trap"')[1].split("</div>")[0]
    assert 'aria-hidden="true"' in trap
    assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap
    assert "Leave this field empty" in trap


def test_proof_of_work_when_switched_on(client, petition):
    set_proof_of_work(petition=petition, required=True)
    html = client.get(reverse("petitions:detail", args=[petition.slug])).content.decode()
    assert "protection/pow.js" in html and "<noscript>" in html
    puzzle_url = reverse("petitions:puzzle", args=[petition.slug])
    assert f'data-puzzle-url="{puzzle_url}"' in html
    response = client.get(puzzle_url)
    assert "no-store" in response["Cache-Control"]
    puzzle = response.json()
    assert client.get(puzzle_url).json()["challenge"] != puzzle["challenge"]  # a fresh one every time
    fields = {"gs_pow_salt": puzzle["salt"], "gs_pow_challenge": puzzle["challenge"], "gs_pow_signature": puzzle["signature"]}
    number = formguard.solve_challenge(puzzle["salt"], puzzle["challenge"], puzzle["max_number"])
    solved = _sign_and_confirm(client, petition, email="solver@example.org", gs_pow_number=str(number), **fields)
    assert solved.flagged_reason == ""
    # The same answer cannot be used twice; without JavaScript there is no answer: both held for review.
    replayed = _sign_and_confirm(client, petition, email="replay@example.org", gs_pow_number=str(number), ip="192.0.2.1", **fields)
    assert replayed.flagged_reason == "proof_of_work_reused"
    no_js = _sign_and_confirm(client, petition, email="nojs@example.org", ip="192.0.2.2")
    assert no_js.flagged_reason == "proof_of_work_missing"
    wrong = _sign_and_confirm(client, petition, email="wrong@example.org", gs_pow_number="1", ip="192.0.2.3", **fields)
    assert wrong.flagged_reason in {"proof_of_work_invalid", "proof_of_work_reused"}
    assert count_signatures(petition) == 1
    set_proof_of_work(petition=petition, required=False)
    assert client.get(puzzle_url).status_code == 404


def test_rate_limits_changed_at_runtime_apply_to_the_next_signature(client, petition):
    RateLimits.objects.create(organisation=petition.campaign.organisation, ip_burst_limit=2)
    for i in range(4):
        post_signature(client, petition, email=f"office{i}@example.org", ip="192.0.2.50")
    flags = list(Signature.objects.order_by("pk").values_list("flagged_reason", flat=True))
    assert flags == ["", "", "rate_ip_burst", "rate_ip_burst"]


@pytest.mark.django_db(transaction=True)
def test_the_burst_limit_holds_against_a_scripted_burst_in_parallel(settings):
    """30 submissions from one address at once, on 6 threads: exactly the limit get through."""
    petition = make_petition()
    frozen = timezone.now().replace(minute=30, second=30, microsecond=0)  # mid-window: cannot straddle two

    def sign(numbers):
        return [post_signature(Client(), petition, email=f"burst{i}@example.org", ip="192.0.2.99").status_code for i in numbers]

    with time_machine.travel(frozen, tick=False):
        statuses = run_at_once(sign, args=[(range(thread, 30, 6),) for thread in range(6)])
    assert statuses == [[302] * 5] * 6
    assert Signature.objects.count() == 30
    assert Signature.objects.filter(flagged_reason="").count() == 5
    assert Signature.objects.filter(flagged_reason="rate_ip_burst").count() == 25


def test_ipv6_addresses_in_one_slash_64_count_as_one_address(client, petition):
    RateLimits.objects.create(organisation=petition.campaign.organisation, ip_burst_limit=2)
    for i in range(3):
        post_signature(client, petition, email=f"v6-{i}@example.org", ip=f"2001:db8:1:2::{i + 1:x}")
    assert list(Signature.objects.order_by("pk").values_list("flagged_reason", flat=True)) == ["", "", "rate_ip_burst"]


def test_a_forwarded_address_is_used_only_behind_a_trusted_proxy(client, petition, settings):
    post_signature(client, petition, email="a@example.org", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.77")
    settings.TRUSTED_PROXY_COUNT = 1
    post_signature(client, petition, email="b@example.org", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.77")
    assert list(Signature.objects.order_by("pk").values_list("ip_address", flat=True)) == ["127.0.0.1", "198.51.100.77"]


def test_random_subdomains_of_one_domain_share_the_domain_limit(client, petition):
    RateLimits.objects.create(organisation=petition.campaign.organisation, email_domain_hourly_limit=2)
    for i in range(3):
        post_signature(client, petition, email=f"x@r{i}.throwaway.example", ip=f"198.51.{i}.1")
    post_signature(client, petition, email="head@dept.example.ac.uk", ip="192.0.2.200")
    flags = list(Signature.objects.order_by("pk").values_list("flagged_reason", flat=True))
    assert flags == ["", "", "rate_email_domain", ""]

