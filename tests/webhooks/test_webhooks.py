"""Webhooks to a real receiver on loopback: each event once, signed as Standard Webhooks says;
retried while the receiver is down and delivered once it is back; paused after a day of 500s,
with the owner emailed; URLs that are not HTTPS or point at private addresses refused."""

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from groundswell.petitions.forms import updates_wording
from groundswell.webhooks import actions as webhooks
from groundswell.webhooks import signing
from groundswell.webhooks.addresses import AddressRefused
from groundswell.webhooks.models import Delivery, Endpoint
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition, make_signature
from tests.support.concurrency import run_at_once
from tests.support.queue import run_queued_tasks
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


@pytest.fixture
def organisation(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # the test receiver is on loopback
    organisation = make_organisation("Lead")
    make_organiser(organisation, email="owner@example.org", role="owner")
    return organisation


def register(organisation, url):
    return webhooks.register_endpoint(organisation_id=organisation.pk, url=url, event_names=["signature.confirmed", "letter.sent"])


def verified(endpoint, received) -> bool:
    return signing.verify(endpoint.secret, received.headers, received.body, now=int(time.time()))


def test_each_event_arrives_once_with_a_signature_the_receiver_verifies(client, organisation, receiver):
    receiver.start()
    client.force_login(organisation.memberships.get().user)
    response = client.post(
        reverse("api:webhooks", args=[organisation.slug]), {"url": receiver.url, "events": ["signature.confirmed"], "description": "CRM"}
    )
    assert response.status_code == 200
    endpoint = Endpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    assert endpoint.secret not in client.get(reverse("api:webhooks", args=[organisation.slug])).content.decode()  # shown once

    petition = make_petition(make_campaign(organisation))
    signature = make_signature(petition, "yes@example.org", updates_text=updates_wording(petition))
    make_signature(petition, "quiet@example.org")
    run_queued_tasks()
    run_queued_tasks()
    assert len(receiver.received) == 2
    first, second = receiver.received
    assert all(verified(endpoint, r) for r in receiver.received)
    assert first.headers["webhook-id"] != second.headers["webhook-id"]
    payload = json.loads(first.body)
    assert payload["type"] == "signature.confirmed"
    assert payload["data"]["signature"] == str(signature.public_id)
    assert payload["data"]["person"]["email"] == "yes@example.org"  # opted in to this organisation
    assert json.loads(second.body)["data"]["person"] is None  # did not: no name, no address
    # A tampered body fails verification.
    tampered = type(first)(first.headers, first.body.replace("yes@", "no@"))
    assert not verified(endpoint, tampered)
    assert Delivery.objects.filter(state="delivered").count() == 2
    assert Delivery.objects.get(message_id=first.headers["webhook-id"]).tries.get().status_code == 200


def test_while_the_receiver_is_down_deliveries_wait_and_arrive_once_it_is_back(organisation, receiver):
    endpoint = register(organisation, receiver.url)
    petition = make_petition(make_campaign(organisation))
    make_signature(petition, "a@example.org")
    webhooks.deliver_all_due()
    delivery = Delivery.objects.get()
    assert delivery.state == "queued" and delivery.attempts == 1
    assert delivery.tries.get().error  # the refused connection, recorded
    receiver.start()
    webhooks.deliver_all_due()
    assert receiver.received == []  # not due yet: backoff
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        webhooks.deliver_all_due()
        webhooks.deliver_all_due()
        assert len(receiver.received) == 1 and verified(endpoint, receiver.received[0])
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("delivered", 2)
    assert Endpoint.objects.get().failing_since is None


def test_an_endpoint_answering_500_for_a_day_is_paused_and_its_owner_told(organisation, receiver, smtp_server):
    receiver.status = 500
    receiver.start()
    register(organisation, receiver.url)
    petition = make_petition(make_campaign(organisation))
    make_signature(petition, "a@example.org")
    start = timezone.now()
    webhooks.deliver_all_due()
    for hours in (1, 6, 12, 23):
        with time_machine.travel(start + timedelta(hours=hours)):
            webhooks.deliver_all_due()
    assert Endpoint.objects.get().paused_at is None
    with time_machine.travel(start + timedelta(hours=25)):
        webhooks.deliver_all_due()
        endpoint = Endpoint.objects.get()
        assert endpoint.paused_at is not None
        tries = len(receiver.received)
        make_signature(petition, "b@example.org")  # queued for when it is resumed
        webhooks.deliver_all_due()
        assert len(receiver.received) == tries
    run_queued_tasks(include_deferred=True)  # the notice was queued a day from now, on the moved clock
    [mail] = [m for m in smtp_server.wait_for(3) if m.envelope_to == ["owner@example.org"]]  # and the two signers' confirmations
    assert receiver.url in mail.text and "paused" in mail.subject
    assert Delivery.objects.filter(state="queued").count() == 2
    # The owner mends the receiver and resumes: both arrive.
    receiver.status = 200
    webhooks.resume_endpoint(endpoint=endpoint)
    webhooks.deliver_all_due()
    assert Delivery.objects.filter(state="delivered").count() == 2


@pytest.mark.parametrize(
    "url, words",
    [
        ("http://93.184.215.14/hook", "https://"),
        ("https://127.0.0.1/hook", "private or local"),
        ("https://localhost/hook", "private or local"),
        ("https://10.1.2.3/hook", "private or local"),
        ("https://169.254.169.254/latest/meta-data", "private or local"),
        ("https://[::1]/hook", "private or local"),
        ("https://[::ffff:127.0.0.1]/hook", "private or local"),
        ("https://user:pw@93.184.215.14/hook", "user name and password"),
        ("ftp://93.184.215.14/hook", "https://"),
        ("https://no-such-host.invalid/hook", "could not find"),
    ],
)
def test_urls_that_are_not_https_or_point_at_private_addresses_are_refused(client, settings, url, words):
    organisation = make_organisation()
    owner = make_organiser(organisation, role="owner")
    with pytest.raises(AddressRefused, match=words):
        webhooks.register_endpoint(organisation_id=organisation.pk, url=url, event_names=["signature.confirmed"])
    client.force_login(owner)
    response = client.post(reverse("api:webhooks", args=[organisation.slug]), {"url": url, "events": ["signature.confirmed"]})
    assert response.status_code == 400
    assert not Endpoint.objects.exists()


def test_a_public_https_address_is_accepted_and_bad_form_input_is_clear(client):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation, role="owner"))
    response = client.post(reverse("api:webhooks", args=[organisation.slug]), {"url": "https://93.184.215.14/hook", "events": ["no.such.event"]})
    assert response.status_code == 400 and b"Choose events from the list" in response.content
    response = client.post(reverse("api:webhooks", args=[organisation.slug]), {"url": "https://93.184.215.14/hook", "events": ["signature.confirmed"]})
    assert response.status_code == 200 and Endpoint.objects.count() == 1
    # Not an owner: not their page.
    client.force_login(make_organiser(organisation, role="organiser"))
    assert client.get(reverse("api:webhooks", args=[organisation.slug])).status_code == 404


def test_workers_delivering_at_once_deliver_each_event_once(organisation, receiver):
    receiver.start()
    endpoint = register(organisation, receiver.url)
    petition = make_petition(make_campaign(organisation))
    for i in range(12):
        make_signature(petition, f"p{i}@example.org")
    run_at_once(webhooks.deliver_all_due, 3)
    ids = [r.headers["webhook-id"] for r in receiver.received]
    assert len(ids) == 12 and len(set(ids)) == 12
    assert all(verified(endpoint, r) for r in receiver.received)
    assert Delivery.objects.filter(state="delivered").count() == 12
