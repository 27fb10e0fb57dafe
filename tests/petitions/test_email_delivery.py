"""Confirmation emails through a real SMTP server (aiosmtpd on a local port)."""

import re
from urllib.parse import urlsplit

import pytest

from groundswell.core import outbox
from groundswell.core.models import OutgoingEmail
from groundswell.petitions import actions
from groundswell.petitions.models import Signature
from groundswell.petitions.queries import count_signatures
from tests.factories import make_petition, sign
from tests.petitions.test_views import post_sign
from tests.support.concurrency import run_at_once
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def confirm_link(message) -> str:
    links = [link for link in message.links() if "/confirm/" in link]
    assert len(links) == 1, message.text
    return urlsplit(links[0]).path


def test_a_signature_is_confirmed_by_following_the_link_in_the_email(client, smtp_server):
    petition = make_petition()
    assert post_sign(client, petition, email="Reader@Example.org").status_code == 302
    assert smtp_server.messages == []  # never sent inside the web request

    assert run_queued_tasks() == 1
    [mail] = smtp_server.wait_for(1)
    assert mail.envelope_to == ["Reader@Example.org"]
    assert "Please confirm your signature" in mail.subject
    path = confirm_link(mail)

    page = client.get(path)
    assert page.status_code == 200 and "Confirm my signature" in page.content.decode()
    before = client.get(f"/petitions/{petition.slug}.json").json()["signature_count"]
    form_action = re.search(r'<form method="post"', page.content.decode())
    assert form_action
    response = client.post(path)
    assert response.status_code == 302
    after = client.get(f"/petitions/{petition.slug}.json").json()["signature_count"]
    assert after == before + 1
    assert Signature.objects.get().confirmation_email_sent_at is not None


def test_signing_again_resends_the_confirmation_and_counts_once(client, smtp_server):
    petition = make_petition()
    post_sign(client, petition, email="twice@example.org")
    run_queued_tasks()
    post_sign(client, petition, email="TWICE@example.org")
    run_queued_tasks()
    first, second = smtp_server.wait_for(2)
    assert confirm_link(first) and confirm_link(second)
    client.post(confirm_link(second))
    client.post(confirm_link(first))
    assert count_signatures(petition) == 1

    # Once confirmed, signing again says so by email and changes nothing.
    post_sign(client, petition, email="twice@example.org")
    run_queued_tasks()
    third = smtp_server.wait_for(3)[2]
    assert "already signed" in third.subject
    assert not [link for link in third.links() if "/confirm/" in link]
    assert count_signatures(petition) == 1


def test_when_smtp_is_down_the_email_is_retried_and_arrives_once_it_is_up(stopped_smtp_server):
    petition = make_petition()
    signature = sign(petition, email="patient@example.org").signature

    run_queued_tasks()  # the server is down: the task reschedules itself
    run_queued_tasks()  # ...for later, so nothing more runs now
    signature.refresh_from_db()
    assert signature.confirmation_email_sent_at is None
    assert Signature.objects.filter(pk=signature.pk).exists()

    run_queued_tasks(include_deferred=True)  # still down: another retry, later still
    stopped_smtp_server.start()
    run_queued_tasks(include_deferred=True)
    [mail] = stopped_smtp_server.wait_for(1)
    assert mail.envelope_to == ["patient@example.org"]
    signature.refresh_from_db()
    assert signature.confirmation_email_sent_at is not None
    actions.confirm_signature(signature=signature)
    assert count_signatures(petition) == 1


def test_a_worker_sends_many_emails_over_one_smtp_connection(smtp_server):
    petition = make_petition()
    for i in range(5):
        sign(petition, email=f"batch{i}@example.org")
    assert run_queued_tasks() == 5
    messages = smtp_server.wait_for(5)
    assert len({m.peer for m in messages}) == 1


def test_an_address_refused_for_good_is_not_retried(smtp_server):
    petition = make_petition()
    signature = sign(petition, email="ghost@nowhere.invalid").signature
    sign(petition, email="real@example.org")
    assert run_queued_tasks() == 1  # the real one
    assert run_queued_tasks(include_deferred=True) == 0  # the refused one was not rescheduled
    assert [m.envelope_to for m in smtp_server.messages] == [["real@example.org"]]
    signature.refresh_from_db()
    assert signature.confirmation_email_sent_at is None
    row = OutgoingEmail.objects.get(object_id=signature.pk)
    assert row.state == OutgoingEmail.State.FAILED and row.due_at is None
    assert "550" in row.last_error and "nowhere.invalid" not in row.last_error  # no address kept
    assert outbox.is_suppressed("ghost@nowhere.invalid")


def test_a_dropped_connection_is_reopened(smtp_server):
    from groundswell.core import mail

    petition = make_petition()
    sign(petition, email="first@example.org")
    run_queued_tasks()
    mail._worker.connection.connection.sock.close()  # the server hung up while the worker idled
    sign(petition, email="second@example.org")
    run_queued_tasks()
    assert [m.envelope_to for m in smtp_server.wait_for(2)] == [["first@example.org"], ["second@example.org"]]


def test_signing_twice_before_the_worker_runs_sends_one_email(client, smtp_server):
    petition = make_petition()
    post_sign(client, petition, email="eager@example.org")
    post_sign(client, petition, email="Eager@example.org")
    assert run_queued_tasks() == 1
    assert len(smtp_server.wait_for(1)) == 1


def test_signing_again_while_the_email_is_being_sent_queues_no_second_copy(smtp_server):
    """The email being sent is built from the signature as it is then: one is enough."""
    petition = make_petition()
    signature = sign(petition, email="racer@example.org").signature
    [row] = outbox.claim_due()
    assert row.object_id == signature.pk
    assert outbox.claim_due() == []  # claimed: no other worker takes it
    again = sign(petition, email="racer@example.org")  # signs again mid-send
    assert again.email_queued
    assert OutgoingEmail.objects.filter(object_id=signature.pk).count() == 1
    OutgoingEmail.objects.filter(pk=row.pk).update(claimed_until=None)
    assert run_queued_tasks() == 1
    assert len(smtp_server.wait_for(1)) == 1


@pytest.mark.django_db(transaction=True)
def test_several_workers_at_once_send_each_email_exactly_once(smtp_server, settings):
    petition = make_petition()
    for i in range(60):
        sign(petition, email=f"w{i}@example.org")

    def worker():
        while outbox.send_due_batch(limit=7)[0]:
            pass

    run_at_once(worker, n=3)
    recipients = [m.envelope_to[0] for m in smtp_server.wait_for(60)]
    assert sorted(recipients) == sorted(f"w{i}@example.org" for i in range(60))
    assert not Signature.objects.filter(confirmation_email_sent_at__isnull=True).exists()
    assert outbox.claim_due() == []
