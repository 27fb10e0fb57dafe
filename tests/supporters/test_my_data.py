"""A supporter sees, downloads, withdraws and deletes their data through emails received by a real
local SMTP server, with no account; the site never says whether an address is known."""

import json
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from groundswell.petitions.models import Signature
from groundswell.petitions.queries import count_signatures, count_signatures_by_area
from tests.factories import make_petition, make_signature
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def assert_not_stored(response):
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= cache_control, response.get("Cache-Control")


def _signed(petition, email, code, *, updates=False):
    return make_signature(
        petition, email, name="Alex Example", consent_text=f"Record my signature on {petition.title}.",
        updates_text="Email me news." if updates else None, constituency_code=code,
        ip_address="198.51.100.4", ip_network="198.51.100.0/24",
    )


def _ask_for_link(client, smtp_server, email):
    run_queued_tasks()  # the signatures' own confirmation emails
    smtp_server.clear()
    page = client.post(reverse("supporters:request_link"), {"email": email})
    assert page.status_code == 200
    assert smtp_server.messages == []  # sent by the worker, not inside the request
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    smtp_server.clear()
    return page, mail


def test_a_supporter_downloads_withdraws_and_deletes_their_data_by_email(client, smtp_server):
    first, second = make_petition(), make_petition()
    _signed(first, "Alex@Example.org", "E14000001", updates=True)
    _signed(second, "alex@example.org", "E14000002")
    other = _signed(first, "someone.else@example.org", "E14000001")
    assert count_signatures(first) == 2

    client.get("/")  # the footer links to it from every page
    assert reverse("supporters:request_link") in client.get("/").content.decode()
    _, mail = _ask_for_link(client, smtp_server, "ALEX@example.org")
    assert mail.envelope_to == ["ALEX@example.org"] and mail.subject == "Your data on Groundswell"
    [link] = [l for l in mail.links() if "/my-data/" in l]
    path = urlsplit(link).path

    response = client.get(path)
    assert_not_stored(response)  # what we hold about them: never in a browser's or proxy's cache
    page = response.content.decode()
    assert first.title in page and second.title in page and "someone.else" not in page
    assert "Record my signature on " + first.title in page and "Email me news." in page  # exact wording
    assert "198.51.100.4" in page

    download = client.post(reverse("supporters:download", args=[path.split("/")[2]]))
    assert_not_stored(download)
    assert download["Content-Disposition"].startswith("attachment")
    data = json.loads(download.content)
    assert {s["petition"] for s in data["signatures"]} == {first.title, second.title}
    assert data["signatures"][0]["consents"][0]["text"].startswith("Record my signature")

    token = path.split("/")[2]
    first_signature = Signature.objects.get(petition=first, email_normalised="alex@example.org")
    withdraw_url = reverse("petitions:withdraw", args=[token, first_signature.public_id])
    question = client.post(withdraw_url)  # without the "Yes": only the question
    assert question.status_code == 200 and "Withdraw your signature?" in question.content.decode()
    assert count_signatures(first) == 2
    response = client.post(withdraw_url, {"confirm": "yes"})
    assert response.status_code == 302
    assert_not_stored(response)
    assert count_signatures(first) == 1
    assert list(count_signatures_by_area(first)) == [{"country": "GB", "constituency_code": "E14000001", "signatures": 1}]
    after = client.get(path).content.decode().split("<main")[1]
    assert f"Signature on “{first.title}”" not in after and f"Signature on “{second.title}”" in after

    assert "Delete all your data?" in client.post(reverse("supporters:delete", args=[token])).content.decode()
    assert count_signatures(second) == 1
    deleted = client.post(reverse("supporters:delete", args=[token]), {"confirm": "yes"})
    assert_not_stored(deleted)
    assert "We deleted your signature and everything recorded with it." in deleted.content.decode()
    assert count_signatures(second) == 0
    assert not Signature.objects.filter(email_normalised="alex@example.org").exists()
    assert Signature.objects.filter(pk=other.pk).exists()
    assert "We hold no signatures" in client.get(path).content.decode()


def test_the_page_is_the_same_whether_or_not_an_address_is_known(client, smtp_server):
    _signed(make_petition(), "known@example.org", "E14000001")
    known, known_mail = _ask_for_link(client, smtp_server, "known@example.org")
    unknown, unknown_mail = _ask_for_link(client, smtp_server, "unknown@example.org")
    strip = lambda r: r.content.decode().replace(r.wsgi_request.META.get("CSRF_COOKIE", ""), "")  # noqa: E731
    assert known.status_code == unknown.status_code
    assert strip(known).split("<main")[1] == strip(unknown).split("<main")[1]
    assert "We hold no signatures" in unknown_mail.text and "We hold no signatures" not in known_mail.text


def test_a_forged_or_expired_link_shows_a_kind_page(client, settings):
    response = client.get(reverse("supporters:my_data", args=["not-a-real-token"]))
    assert response.status_code == 410 and "Ask for a new link" in response.content.decode()
    assert client.post(reverse("supporters:delete", args=["not-a-real-token"])).status_code == 410


def test_link_requests_are_capped_per_address(client, smtp_server):
    run_queued_tasks()
    for _ in range(5):
        client.post(reverse("supporters:request_link"), {"email": "target@example.org"})
    run_queued_tasks()
    assert len(smtp_server.wait_for(3)) == 3
