import json

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.petitions import actions
from groundswell.petitions.models import Petition, Signature
from groundswell.petitions.tokens import CONFIRMATION_LINK
from groundswell.protection.formguard import TOKEN_FIELD, make_form_token
from tests.factories import make_petition, sign

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Sam Supporter",
    "email": "sam@example.org",
    "where": "uk",
    "postcode": "gu2 7xx",
    "country": "",
    "consent": "on",
}


def post_sign(client, petition, **changes):
    # A person's form carries its signed timestamp (groundswell.protection); without it, signed but not counted.
    data = {**VALID, TOKEN_FIELD: make_form_token(petition.pk), **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(reverse("petitions:detail", args=[petition.slug]), data)


def test_petition_page_shows_the_form_count_and_closing_date(client):
    petition = make_petition()
    response = client.get(reverse("petitions:detail", args=[petition.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert petition.title in html
    assert "Sign the petition" in html
    assert 'type="checkbox" name="consent"' in html and "checked" not in html.split('name="consent"')[1].split(">")[0]
    assert "Next milestone: 1,000 signatures" in html


def test_signing_through_the_form_stores_a_normalised_unconfirmed_signature(client):
    petition = make_petition()
    response = post_sign(client, petition, email="Sam@Example.org", updates="on")
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:check_email", args=[petition.slug])
    signature = Signature.objects.get()
    assert signature.postcode == ""  # the postcode finds the constituency and is not kept
    assert signature.email_normalised == "sam@example.org"
    assert signature.confirmed_at is None
    assert signature.updates_consent is not None


def test_signing_from_abroad_needs_a_country_not_a_postcode(client):
    petition = make_petition()
    response = post_sign(client, petition, where="abroad", postcode="", country="IE")
    assert response.status_code == 302
    assert str(Signature.objects.get().country) == "IE"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": ""}, "name", "Enter your name."),
        ({"name": "x" * 101}, "name", "100 characters or fewer"),
        ({"email": ""}, "email", "Enter your email address."),
        ({"email": "not-an-email"}, "email", "Enter an email address in the form name@example.com."),
        ({"email": "a" * 250 + "@example.org"}, "email", "254 characters or fewer"),
        ({"postcode": ""}, "postcode", "Enter your postcode"),
        ({"postcode": "NOT A POSTCODE"}, "postcode", "Enter a real UK postcode"),
        ({"where": "abroad", "postcode": "", "country": ""}, "country", "Choose the country you live in."),
        ({"where": "mars"}, "where", "Choose whether you live in the UK."),
        ({"consent": None}, "consent", "tick the box to agree"),
    ],
)
def test_bad_input_gets_a_clear_message_next_to_the_field_and_keeps_what_was_typed(client, changes, field, message):
    petition = make_petition()
    response = post_sign(client, petition, **changes)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html or field == "where"
    assert "There is a problem to fix" in html
    if field != "name":
        assert 'value="Sam Supporter"' in html  # what was typed is kept
    assert not Signature.objects.exists()
    # The page holds what they typed (name, email): never kept in a browser's or proxy's cache.
    assert {"no-store", "private"} <= {p.strip() for p in response["Cache-Control"].split(",")}


def test_a_closed_petition_cannot_be_signed_and_says_so(client):
    petition = make_petition(state=Petition.State.CLOSED)
    page = client.get(reverse("petitions:detail", args=[petition.slug]))
    assert "not accepting signatures" in page.content.decode()
    response = post_sign(client, petition)
    assert response.status_code == 409
    assert "This petition is closed" in response.content.decode()
    assert not Signature.objects.exists()


def test_drafts_are_not_public(client):
    petition = make_petition(state=Petition.State.DRAFT)
    assert client.get(reverse("petitions:detail", args=[petition.slug])).status_code == 404
    assert client.get(reverse("petitions:json", args=[petition.slug])).status_code == 404


def test_signing_from_another_site_is_refused_kindly_and_stores_nothing():
    """The sign form is checked by origin, not token (core/crossorigin.py; every case in
    tests/security/test_forms_and_escaping.py)."""
    petition = make_petition()
    client = Client(enforce_csrf_checks=True, HTTP_SEC_FETCH_SITE="cross-site")
    response = post_sign(client, petition)
    assert response.status_code == 403
    assert "Please try again" in response.content.decode()
    assert not Signature.objects.exists()


def test_opening_the_confirmation_link_confirms_nothing(client):
    petition = make_petition()
    signature = sign(petition).signature
    url = reverse("petitions:confirm", args=[petition.slug, CONFIRMATION_LINK.make(signature.public_id)])
    for _ in range(3):  # a mail scanner may fetch it several times
        response = client.get(url)
        assert response.status_code == 200
        assert "Confirm my signature" in response.content.decode()
    signature.refresh_from_db()
    assert signature.confirmed_at is None
    # ...and the link still works for the person afterwards.
    assert client.post(url).status_code == 302
    signature.refresh_from_db()
    assert signature.confirmed_at is not None


def test_the_confirm_button_loads_only_what_confirming_needs_and_the_updates_consent_is_still_recorded(client, settings):
    """The view loads the signature with a few columns (queries.signature_to_confirm); confirming
    it and its ON_CONFIRMED hook (updates: "email me news") read no other column of it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from groundswell.updates.models import Consent

    petition = make_petition()
    post_sign(client, petition, email="news@example.org", updates="on")
    signature = Signature.objects.get()
    url = reverse("petitions:confirm", args=[petition.slug, CONFIRMATION_LINK.make(signature.public_id)])
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url).status_code == 302
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT") and 'FROM "petitions_signature"' in q["sql"]]
    assert len(reads) == 1 and "ip_address" not in reads[0]
    consent = Consent.objects.get(email_normalised="news@example.org")
    assert (consent.name, consent.statement_id) == (signature.name, signature.updates_consent_id)
    assert actions.recount_petition(petition=petition) == 1


def test_the_confirm_button_counts_the_signature_once(client):
    petition = make_petition()
    signature = sign(petition).signature
    url = reverse("petitions:confirm", args=[petition.slug, CONFIRMATION_LINK.make(signature.public_id)])
    client.post(url)
    client.post(url)
    page = client.get(reverse("petitions:confirmed", args=[petition.slug]))
    assert "now has <strong>1</strong> signature" in page.content.decode()


@pytest.mark.parametrize("token", ["garbage", "abc:def:ghi", "x" * 500])
def test_a_broken_confirmation_link_gets_a_clear_page(client, token):
    petition = make_petition()
    response = client.post(reverse("petitions:confirm", args=[petition.slug, token]))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_an_expired_confirmation_link_says_so(client, settings):
    import time_machine
    from django.utils import timezone
    from datetime import timedelta

    petition = make_petition()
    signature = sign(petition).signature
    token = CONFIRMATION_LINK.make(signature.public_id)
    with time_machine.travel(timezone.now() + timedelta(days=settings.SIGNATURE_CONFIRMATION_DAYS + 1)):
        response = client.post(reverse("petitions:confirm", args=[petition.slug, token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    signature.refresh_from_db()
    assert signature.confirmed_at is None


def test_petition_json_has_counts_and_dates_but_no_personal_data(client):
    petition = make_petition(milestones=[5, 10])
    for i in range(6):
        actions.confirm_signature(signature=sign(petition, email=f"private{i}@example.org", name="Private Person").signature)
    response = client.get(f"/petitions/{petition.slug}.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["signature_count"] == 6
    assert data["state"] == "open"
    assert data["closes_on"] == petition.closes_on.isoformat()
    assert data["milestones"] == [{"signatures": 5, "reached": True}, {"signatures": 10, "reached": False}]
    assert data["next_milestone"] == 10
    body = response.content.decode()
    assert "private" not in body.lower() and "Private Person" not in body and "GU2" not in body


def test_counts_csv_lists_counts_by_area(client):
    petition = make_petition()
    actions.confirm_signature(signature=sign(petition, email="a@example.org").signature)
    actions.confirm_signature(signature=sign(petition, email="b@example.org", country="FR", postcode="").signature)
    response = client.get(f"/petitions/{petition.slug}/counts.csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "petition,country,constituency_code,signatures"
    assert sorted(lines[1:]) == sorted([f"{petition.slug},GB,,1", f"{petition.slug},FR,,1"])


def test_pages_are_served_with_a_content_security_policy(client):
    petition = make_petition()
    response = client.get(reverse("petitions:detail", args=[petition.slug]))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/petitions/no-such-petition/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_templates_use_no_inline_styles_or_scripts_that_the_policy_would_block():
    """style-src and script-src are 'self': inline style attributes and scripts would be ignored."""
    from pathlib import Path

    import groundswell

    offenders = []
    for path in Path(groundswell.__file__).parent.rglob("templates/**/*.html"):
        if "/emails/" in str(path):
            continue  # emails are not served under the site's policy
        text = path.read_text()
        if 'style="' in text or "<script>" in text or "<style" in text:
            offenders.append(str(path))
    assert offenders == []


def test_reading_a_petition_takes_few_queries_however_many_signed(client, django_assert_max_num_queries, settings):
    """Pages and open data read the count rows, never the signatures themselves: the petition, its
    count, whether the puzzle is on, and whether geography is loaded (tests/geography has the rest);
    the page also reads its campaign's partners (coalitions, briefly cached outside tests)."""
    settings.SIGNATURE_COUNT_SHARDS = 16
    petition = make_petition()
    for i in range(30):
        actions.confirm_signature(signature=sign(petition, email=f"q{i}@example.org").signature)
    for path, queries in ((f"/petitions/{petition.slug}/", 5), (f"/petitions/{petition.slug}.json", 4)):
        with django_assert_max_num_queries(queries):
            assert client.get(path).status_code == 200


def test_an_oversized_submission_gets_a_kind_400_and_stores_nothing(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    petition = make_petition()
    response = post_sign(client, petition, name="x" * 20_000)
    assert response.status_code == 400
    assert "We could not read that request" in response.content.decode()
    assert not Signature.objects.exists()


def test_null_characters_and_markup_are_refused_or_shown_inert(client):
    petition = make_petition()
    response = post_sign(client, petition, name="Bad\x00Name")
    assert response.status_code == 400 and "Null characters are not allowed" in response.content.decode()
    response = post_sign(client, petition, name="<script>alert(1)</script>", email="bad")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_title_with_newlines_cannot_add_an_email_header():
    from groundswell.petitions.emails import build_signature_email

    petition = make_petition(title="Innocent\nBcc: victim@example.org")
    message = build_signature_email(sign(petition).signature).message()
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"]


def test_the_confirmation_links_page_reads_no_database_and_is_the_same_for_every_signer(settings, django_assert_num_queries):
    """The link's signature is checked, not the database: what only the database knows (already
    confirmed, withdrawn) the button's POST says."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 2
    petition = make_petition()
    first, second = sign(petition, email="one@example.org").signature, sign(petition, email="two@example.org").signature
    links = [reverse("petitions:confirm", args=[petition.slug, CONFIRMATION_LINK.make(s.public_id)]) for s in (first, second)]
    page = Client().get(links[0])  # warms the brief caches: the petition, and the page itself
    with django_assert_num_queries(0):
        other = Client().get(links[1])
    assert other.status_code == 200 and other.content == page.content
    assert "Confirm my signature" in other.content.decode()
