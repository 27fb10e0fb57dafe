"""The one outgoing-mail pipeline (core/outbox.py), through a real SMTP server on a local port.

Every kind of email the platform sends is made here the way the platform makes it, then sent
while the server fails, retried on the one schedule, delivered exactly once, bounced, and its
links decoded to check that no address or name is readable in them.
"""

import base64
import io
import re
import sys
import zlib
from datetime import date, timedelta
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from groundswell.core import outbox
from groundswell.core.models import OutgoingEmail, SuppressedAddress
from groundswell.petitions.models import Signature
from groundswell.petitions.queries import count_signatures
from tests.factories import make_campaign, make_organiser, make_petition, sign
from tests.petitions.test_views import post_sign
from tests.support.mail import delivery_failure_report
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db

State = OutgoingEmail.State


# -- one message that cannot be sent affects that message alone (issue 11, item 1) ----------


def test_the_sign_form_refuses_an_address_no_mail_server_could_be_sent_kindly(client):
    petition = make_petition()
    response = post_sign(client, petition, email="x@\ue000.com", name="Kept Name")
    assert response.status_code == 400
    page = response.content.decode()
    assert "We cannot send email to that address" in page
    assert 'value="Kept Name"' in page  # nothing already typed is lost
    assert not Signature.objects.exists() and not OutgoingEmail.objects.exists()


@pytest.mark.parametrize(
    "address,message",
    [("x@\ue000.com", "We cannot send email to that address"), ("\u00fcber@example.org", "Enter an email address in the form")],
)
def test_the_data_form_refuses_it_too_with_one_message(client, address, message):
    response = client.post("/my-data/", {"email": address})
    assert response.status_code == 400
    assert response.content.decode().count(message) >= 1
    assert not OutgoingEmail.objects.exists()


def test_one_message_that_cannot_be_built_is_set_aside_and_the_rest_go_once(smtp_server):
    """An address that slipped past the forms (made by an older version, say) between good
    ones: the good ones go exactly once, however often the worker runs, and the bad one is
    recorded as failed with the reason, never retried."""
    petition = make_petition()
    sign(petition, email="first@example.org")
    bad = sign(petition, email="x@\ue000.com").signature  # the action does not validate; forms do
    sign(petition, email="second@example.org")
    sign(petition, email="third@example.org")

    assert run_queued_tasks() == 3
    for _ in range(3):
        run_queued_tasks(include_deferred=True)
    recipients = sorted(m.envelope_to[0] for m in smtp_server.messages)
    assert recipients == ["first@example.org", "second@example.org", "third@example.org"]
    row = OutgoingEmail.objects.get(object_id=bad.pk)
    assert row.state == State.FAILED and row.due_at is None and row.claimed_until is None
    assert "Error" in row.last_error  # what went wrong is recorded
    assert not OutgoingEmail.objects.filter(state=State.QUEUED).exists()


def test_a_builder_that_raises_for_one_object_does_not_stall_the_batch(smtp_server, monkeypatch):
    from groundswell.petitions import emails

    petition = make_petition()
    for name in ("a", "b", "c"):
        sign(petition, email=f"{name}@example.org")
    real = emails.build_signature_email

    def broken_for_b(signature):
        if signature.email == "b@example.org":
            raise RuntimeError("a template bug")
        return real(signature)

    monkeypatch.setattr(emails, "build_signature_email", broken_for_b)
    run_queued_tasks()
    run_queued_tasks(include_deferred=True)
    assert sorted(m.envelope_to[0] for m in smtp_server.messages) == ["a@example.org", "c@example.org"]
    assert OutgoingEmail.objects.filter(state=State.FAILED).count() == 1


def test_an_unexpected_error_mid_batch_still_records_what_was_sent(smtp_server, monkeypatch):
    """Even when something escapes the per-message handling, a message the server accepted is
    recorded as sent, so it is never sent again."""
    petition = make_petition()
    for name in ("a", "b", "c"):
        sign(petition, email=f"{name}@example.org")
    real = outbox._prepare
    calls = []

    def explode_on_second(message, row):
        calls.append(row.pk)
        if len(calls) == 2:
            raise KeyboardInterrupt  # not an Exception: nothing in the loop catches it
        return real(message, row)

    monkeypatch.setattr(outbox, "_prepare", explode_on_second)
    with pytest.raises(KeyboardInterrupt):
        outbox.send_due_batch()
    monkeypatch.setattr(outbox, "_prepare", real)
    assert OutgoingEmail.objects.filter(state=State.SENT).count() == 1
    assert not OutgoingEmail.objects.filter(claimed_until__isnull=False).exists()  # the rest released
    run_queued_tasks()
    assert sorted(m.envelope_to[0] for m in smtp_server.messages) == ["a@example.org", "b@example.org", "c@example.org"]


# -- emails a stranger can trigger are limited per address (item 4) ---------------------------


def test_signing_again_and_again_sends_a_few_emails_and_says_kindly_the_email_was_sent(client, smtp_server, settings):
    settings.MAIL_LIMIT_PER_ADDRESS_PER_HOUR = 3
    petition = make_petition()
    pages = []
    for _ in range(20):
        response = post_sign(client, petition, email="victim@example.org")
        assert response.status_code == 302
        pages.append(client.get(response.url).content.decode())
        run_queued_tasks()
    assert len(smtp_server.messages) == 3
    assert "already sent several emails to this address" in pages[-1]
    assert "already sent several emails" not in pages[0]
    # An hour later, one more may go.
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        post_sign(client, petition, email="victim@example.org")
        run_queued_tasks()
    assert len(smtp_server.messages) == 4
    assert Signature.objects.count() == 1


def test_a_limited_kind_checks_the_limit_and_a_queued_row_in_one_query(settings, django_assert_num_queries):
    """enqueue answers "over the limit" and "one is queued already" from one read, and the
    limit still comes first: a queued row older than the hour still stops a second one."""
    from groundswell.petitions import emails as petition_emails

    settings.MAIL_LIMIT_PER_ADDRESS_PER_HOUR = 2
    signature = sign(make_petition(), email="one@example.org").signature  # its email queued
    with django_assert_num_queries(1):  # queued already: no second row
        assert outbox.enqueue(petition_emails.SIGNATURE_EMAIL, object_id=signature.pk, recipient="one@example.org") == outbox.Queued(True, "waiting")
    with django_assert_num_queries(2):  # another subject: the check and the row
        assert outbox.enqueue(petition_emails.SIGNATURE_EMAIL, object_id=signature.pk + 1, recipient="one@example.org").queued
    assert outbox.enqueue(petition_emails.SIGNATURE_EMAIL, object_id=signature.pk + 2, recipient="one@example.org") == outbox.Queued(False, "limited")
    assert outbox.enqueue(petition_emails.SIGNATURE_EMAIL, object_id=signature.pk, recipient="one@example.org") == outbox.Queued(False, "limited")
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        # The hour has passed: the limit is free again, and the first row, still queued, still counts as waiting.
        assert outbox.enqueue(petition_emails.SIGNATURE_EMAIL, object_id=signature.pk, recipient="one@example.org") == outbox.Queued(True, "waiting")
        assert outbox.enqueue(petition_emails.SIGNATURE_EMAIL, object_id=signature.pk + 3, recipient="one@example.org").queued
    assert OutgoingEmail.objects.filter(kind=petition_emails.SIGNATURE_EMAIL).count() == 3
    assert outbox.enqueue(petition_emails.SIGNATURE_EMAIL, object_id=signature.pk, recipient="other@example.org").queued  # another address


@pytest.mark.django_db(transaction=True)  # as in a request: no test transaction around it
def test_a_new_subject_and_its_email_are_one_statement_on_postgresql_with_the_same_rules(settings, django_assert_num_queries):
    """A new signature and its email: the row, the hourly limit and the email's row in one round
    trip on PostgreSQL (a transaction with both on SQLite), the same rules as `enqueue`."""
    from django.db import IntegrityError, connection

    from groundswell.petitions import emails as petition_emails
    from groundswell.petitions.models import Signature
    from groundswell.supporters.models import ConsentStatement

    settings.MAIL_LIMIT_PER_ADDRESS_PER_HOUR = 2
    kind = petition_emails.SIGNATURE_EMAIL
    petition = make_petition()
    consent = ConsentStatement.for_text(purpose=ConsentStatement.Purpose.RECORD_SIGNATURE, text="I agree.")

    def new(email, name="Sam"):
        return Signature(petition=petition, name=name, email=email, email_normalised=email.strip().lower(), consent=consent,
                         ip_address="192.0.2.7", language="cy")

    first = new("new@example.org")
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 4):  # SQLite: BEGIN, the two, COMMIT
        assert outbox.create_and_enqueue(kind, first, recipient="new@example.org", params={"n": 1}) == outbox.Queued(True)
    stored = Signature.objects.get(pk=first.pk)
    assert (stored.name, stored.email, stored.language, stored.ip_address, stored.public_id) == ("Sam", "new@example.org", "cy", "192.0.2.7", first.public_id)
    assert stored.created_at == first.created_at and not first._state.adding
    row = OutgoingEmail.objects.get(object_id=first.pk)
    assert (row.kind, row.params, row.state, row.attempts, row.recipient_hash) == (kind, {"n": 1}, OutgoingEmail.State.QUEUED, 0, outbox.recipient_hash("new@example.org"))
    assert row.due_at == row.created_at and row.claimed_until is None

    second = new("second@example.org")
    assert outbox.create_and_enqueue(kind, second, recipient="New@Example.org ") == outbox.Queued(True)  # the same address
    third = new("third@example.org")
    assert outbox.create_and_enqueue(kind, third, recipient="new@example.org") == outbox.Queued(False, "limited")
    assert Signature.objects.filter(pk=third.pk).exists()  # stored; only its email is held back
    assert not OutgoingEmail.objects.filter(object_id=third.pk).exists()
    assert outbox.create_and_enqueue(kind, new("fourth@example.org"), recipient="other@example.org").queued  # another address

    # The subject's INSERT refused (the same signer again): neither row is left, nothing is queued.
    queued_before = OutgoingEmail.objects.count()
    with pytest.raises(IntegrityError):
        outbox.create_and_enqueue(kind, new("second@example.org", name="Again"), recipient="fresh@example.org")
    assert OutgoingEmail.objects.count() == queued_before
    assert list(Signature.objects.filter(email="second@example.org").values_list("name", flat=True)) == ["Sam"]

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):  # the hour has passed
        assert outbox.create_and_enqueue(kind, new("fifth@example.org"), recipient="new@example.org").queued


def test_the_limit_is_shared_by_every_kind_a_stranger_can_trigger(client, smtp_server, settings):
    settings.MAIL_LIMIT_PER_ADDRESS_PER_HOUR = 3
    organiser = make_organiser(make_campaign().organisation, email="target@example.org")
    for _ in range(25):
        client.post("/accounts/password-reset/", {"email": organiser.email})
    for _ in range(10):
        response = client.post("/my-data/", {"email": organiser.email})
        assert response.status_code == 200
    assert "already sent several emails to this address" in response.content.decode()
    run_queued_tasks()
    assert len(smtp_server.messages) == 3
    assert all(m.envelope_to == ["target@example.org"] for m in smtp_server.messages)


# -- every kind: retried on the one schedule, delivered once, bounced, tokens unreadable --------


def _every_kind_of_email(imported_pack):
    """One email of every kind, queued the way the platform queues each."""
    from groundswell.accounts.actions import request_password_reset
    from groundswell.ledger.actions import queue_ledger_reminders
    from groundswell.letters import actions as letters
    from groundswell.letters import emails as letter_emails
    from groundswell.letters.models import Digest, Letter
    from groundswell.supporters.actions import request_data_link
    from tests.factories import SUGGESTED, make_action, make_ask, make_target, personal_paragraph

    campaign = make_campaign()
    organisation = campaign.organisation
    make_organiser(organisation, email="organiser.person@example.org")
    sign(make_petition(campaign), email="signer.person@example.org", name="Signer Person")
    request_data_link(email="data.person@example.org", ip_address="192.0.2.1")
    request_password_reset(email="organiser.person@example.org")

    action = make_action(campaign, to_mp=False, target=make_target(organisation, contact_email="trust@nhs.example"))
    write = dict(action=action, postcode="", subject="Care not police", body=SUGGESTED)
    confirming = letters.write_letter(name="Writer Person", email="writer.person@example.org", personal=personal_paragraph(1), **write)
    sent = letters.write_letter(name="Sent Person", email="sent.person@example.org", personal=personal_paragraph(2), **write)
    letters.confirm_letter(letter=Letter.objects.get(pk=sent.pk))
    # A digest of a bundled letter, a follow-up and a bounce notice, as housekeeping and the
    # bounce intake queue them.
    bundled = letters.write_letter(name="Bundled Person", email="bundled.person@example.org", personal=personal_paragraph(3), **write)
    Letter.objects.filter(pk=bundled.pk).update(confirmed_at=timezone.now(), is_bundled=True)
    digest = Digest.objects.create(contact=bundled.contact, letter_count=1)
    Letter.objects.filter(pk=bundled.pk).update(digest=digest)
    outbox.enqueue(letter_emails.DIGEST, object_id=digest.pk, recipient=bundled.contact.email)
    followed = letters.write_letter(name="Followed Person", email="followed.person@example.org", personal=personal_paragraph(4), **write)
    Letter.objects.filter(pk=followed.pk).update(confirmed_at=timezone.now(), sent_at=timezone.now())
    outbox.enqueue(letter_emails.FOLLOWUP, object_id=followed.pk, recipient="followed.person@example.org")
    letters.record_bounce(letter_ids=[followed.pk])  # the bounce notice to its writer

    make_ask(campaign, make_target(organisation, name="Silent Trust", contact_email="silent@nhs.example"), asked_on=date(2020, 1, 1))
    queue_ledger_reminders()

    # A petition whose ask changes after an opted-in signer signed (petitions.text_changed), and
    # which then reaches a threshold that tells its organisers and opted-in signers (handin).
    from groundswell.handin.actions import check_thresholds
    from groundswell.handin.models import Threshold
    from groundswell.petitions import actions as petition_actions
    from groundswell.petitions.forms import PetitionForm, updates_wording
    from groundswell.campaigns.models import Campaign

    changing = make_petition(campaign)
    news = sign(changing, email="news.person@example.org", name="News Person", updates_text=updates_wording(changing)).signature
    petition_actions.confirm_signature(signature=news)
    form = PetitionForm({
        "campaign": campaign.pk, "title": changing.title, "slug": changing.slug, "ask": "A new ask.", "why": changing.why,
        "addressed_to": changing.addressed_to, "opens_on": changing.opens_on.isoformat(), "closes_on": changing.closes_on.isoformat(),
        "milestones_text": "",
    }, instance=changing, campaigns=Campaign.objects.all())
    assert form.is_valid(), form.errors
    petition_actions.save_petition(form=form)
    Threshold.objects.create(petition=changing, target=make_target(organisation, name="Threshold Trust"), signatures=1,
                             ask_text="We hand it in.", notify_signers=True)
    check_thresholds(changing.pk)
    # Events: a reply awaiting confirmation, a confirmed place (its confirmation, move-up,
    # reminder and change notice), a place on the waiting list, and a cancelled event.
    from groundswell.events import actions as events
    from groundswell.events import emails as event_emails
    from groundswell.events.models import RSVP, Event
    from tests.factories import make_event

    event = make_event(campaign, mode=Event.Mode.BOTH, joining_link="https://meet.example.org/abc")
    events.send_rsvp(event=event, name="Replying Person", email="replying.person@example.org")
    kept = RSVP.objects.create(event=event, name="Placed Person", email="placed.person@example.org", email_normalised="placed.person@example.org", status=RSVP.Status.CONFIRMED)
    for kind in (event_emails.CONFIRMED, event_emails.MOVED_UP, event_emails.REMINDER, event_emails.CHANGED):
        outbox.enqueue(kind, object_id=kept.pk, recipient=kept.email)
    waiting = RSVP.objects.create(event=event, name="Waiting Person", email="waiting.person@example.org", email_normalised="waiting.person@example.org", status=RSVP.Status.WAITING)
    outbox.enqueue(event_emails.WAITING, object_id=waiting.pk, recipient=waiting.email)
    called_off = make_event(campaign)
    RSVP.objects.create(event=called_off, name="Told Person", email="told.person@example.org", email_normalised="told.person@example.org", status=RSVP.Status.CONFIRMED)
    events.cancel_event(event=called_off)
    # An FOI request sent from the platform, long overdue: its chaser and an internal review.
    from groundswell.ledger.actions import queue_ledger_chasers, send_ask_batch, send_internal_review

    asked = make_target(organisation, name="Asked Police", contact_email="foi.officer@police.example")
    batch = send_ask_batch(campaign=campaign, targets=[asked], kind="foi", subject="Crisis care", text="How many?",
                           user=None, today=date(2020, 1, 6))
    assert queue_ledger_chasers() == 1
    send_internal_review(ask=batch.asks.get(), user=None)
    # Coalitions: an invitation to the team, and an owner told their webhook endpoint is paused.
    from groundswell.accounts.actions import invite_member
    from groundswell.webhooks.actions import PAUSE_NOTICE
    from groundswell.webhooks.models import Endpoint, PauseNotice

    owner = make_organiser(organisation, email="owner.person@example.org", role="owner")
    invite_member(organisation=organisation, email="invited.person@example.org", role="viewer", by=owner)
    endpoint = Endpoint.objects.create(organisation_id=organisation.pk, url="https://93.184.215.14/hook", events=["letter.sent"], secret="whsec_AAAA")
    notice = PauseNotice.objects.create(endpoint=endpoint, email="owner.person@example.org")
    outbox.enqueue(PAUSE_NOTICE, object_id=notice.pk, recipient=notice.email)

    # A supporter update, queued as its task queues it, and an organiser's test copy of it.
    from groundswell.updates import actions as updates, sending
    from tests.factories import make_opted_in, make_update

    make_opted_in(make_petition(campaign), "news.person@example.org", name="News Person")
    organiser = organisation.memberships.order_by("pk").first().user
    update = make_update(organisation, organiser)
    updates.send_test(update=update, user=organiser)
    updates.request_sending(update=update, user=organiser)
    sending.queue_all(update.pk)
    return {kind for kind in OutgoingEmail.objects.values_list("kind", flat=True)}


EVERY_KIND = {
    "petitions.signature", "supporters.data_link", "accounts.password_reset", "letters.confirmation", "letters.letter",
    "letters.digest", "letters.followup", "letters.bounce_notice", "ledger.digest",
    "petitions.text_changed", "handin.threshold_reached", "handin.threshold_reached_signer",
    "events.confirm_request", "events.confirmed", "events.waiting", "events.moved_up", "events.reminder", "events.changed",
    "events.cancelled",
    "ledger.ask", "ledger.chaser", "ledger.internal_review",
    "accounts.invitation", "webhooks.endpoint_paused",
    "updates.update", "updates.test",
}


def test_every_kind_is_registered_with_the_outbox():
    assert set(outbox.kinds()) == EVERY_KIND


def test_every_kind_waits_out_a_failing_server_on_one_schedule_then_arrives_exactly_once(imported_pack, smtp_server):
    assert _every_kind_of_email(imported_pack) == EVERY_KIND
    queued = OutgoingEmail.objects.filter(state=State.QUEUED).count()
    smtp_server.handler.failing_temporarily = True  # "451 try again later" for everyone
    before = timezone.now()
    run_queued_tasks()
    assert smtp_server.messages == []
    rows = list(OutgoingEmail.objects.filter(state=State.QUEUED))
    # Confirmation requests for letters confirmed meanwhile are no longer needed; nothing else ended.
    cancelled = OutgoingEmail.objects.filter(state=State.CANCELLED)
    assert set(cancelled.values_list("kind", flat=True)) == {"letters.confirmation"}
    assert len(rows) + cancelled.count() == queued
    assert {row.kind for row in rows} == EVERY_KIND
    for row in rows:  # every kind on the same schedule: first retry after RETRY_DELAYS_SECONDS[0]
        assert row.attempts == 1 and "451" in row.last_error
        wait = (row.due_at - before).total_seconds()
        assert outbox.RETRY_DELAYS_SECONDS[0] - 1 <= wait <= outbox.RETRY_DELAYS_SECONDS[0] + 30
    run_queued_tasks()
    assert smtp_server.messages == []  # not due yet: nothing is hammered

    run_queued_tasks(include_deferred=True)  # still failing: the second delay
    assert {row.attempts for row in OutgoingEmail.objects.filter(state=State.QUEUED)} == {2}
    smtp_server.handler.failing_temporarily = False
    run_queued_tasks(include_deferred=True)
    run_queued_tasks(include_deferred=True)
    delivered = smtp_server.messages
    by_kind = {}
    for row in OutgoingEmail.objects.exclude(state=State.CANCELLED):
        by_kind.setdefault(row.kind, []).append(row.state)
    assert all(states == [State.SENT] * len(states) for states in by_kind.values()), by_kind
    # Exactly once: one message per row, each with its own envelope sender.
    assert len(delivered) == OutgoingEmail.objects.filter(state=State.SENT).count()
    assert len({m.envelope_from for m in delivered}) == len(delivered)

    _no_token_shows_an_address_or_a_name(delivered)
    _a_hard_bounce_of_any_kind_suppresses_the_address(delivered)


def _decodings(segment: str):
    """Every way a token part could hide readable text: as it is, URL-decoded, base64, zlib."""
    yield segment
    yield unquote(segment)
    for piece in re.split(r"[:.]", segment):
        padded = piece + "=" * (-len(piece) % 4)
        try:
            raw = base64.urlsafe_b64decode(padded)
        except ValueError:
            continue
        yield raw.decode("latin-1")
        try:
            yield zlib.decompress(raw).decode("latin-1")
        except zlib.error:
            pass


def _no_token_shows_an_address_or_a_name(messages):
    secrets = ["@example.org", "person", "Person", "@nhs.example"]
    links = [link for mail in messages for link in mail.links() if link.startswith("http://testserver")]
    assert len(links) >= 6  # confirmations, data link, reset, follow-up answers
    for link in links:
        for segment in urlsplit(link).path.split("/"):
            for text in _decodings(segment):
                assert not any(secret in text for secret in secrets), (link, text)
    for mail in messages:  # nor in the envelope sender, which the recipient's server sees
        assert not any(secret in mail.envelope_from for secret in secrets)


def _a_hard_bounce_of_any_kind_suppresses_the_address(messages):
    bounced = set()
    for mail in messages:
        sys.stdin = io.TextIOWrapper(io.BytesIO(delivery_failure_report(mail.envelope_from)))
        try:
            out = io.StringIO()
            call_command("mail", "receive-bounce", "--recipient", mail.envelope_from, stdout=out)
        finally:
            sys.stdin = sys.__stdin__
        assert "recorded" in out.getvalue(), out.getvalue()
        bounced.add(outbox.recipient_hash(mail.envelope_to[0]))
    suppressed = set(SuppressedAddress.objects.values_list("recipient_hash", flat=True))
    assert bounced <= suppressed
    assert {row.kind for row in OutgoingEmail.objects.filter(bounced_at__isnull=False)} == EVERY_KIND


def test_a_suppressed_address_gets_only_what_it_has_just_asked_for(client, smtp_server):
    outbox.suppress(outbox.recipient_hash("once.bounced@example.org"), reason=SuppressedAddress.Reason.BOUNCED)
    petition = make_petition()
    post_sign(client, petition, email="Once.Bounced@example.org")  # they ask for a confirmation: it goes
    run_queued_tasks()
    assert [m.envelope_to for m in smtp_server.messages] == [["Once.Bounced@example.org"]]
    # Mail they did not just ask for (a follow-up, say) is not sent to a suppressed address.
    from groundswell.letters import emails as letter_emails

    outbox.enqueue(letter_emails.FOLLOWUP, object_id=1, recipient="once.bounced@example.org")
    run_queued_tasks()
    assert len(smtp_server.messages) == 1
    assert OutgoingEmail.objects.filter(kind=letter_emails.FOLLOWUP, state=State.SUPPRESSED).exists()


def test_an_out_of_office_reply_and_a_forged_bounce_suppress_nobody(smtp_server):
    petition = make_petition()
    sign(petition, email="away@example.org")
    run_queued_tasks()
    [mail] = smtp_server.messages
    reply = EmailMessage()
    reply["To"] = mail.envelope_from
    reply["Subject"] = "Out of office"
    reply.set_content("I am away.")
    for raw, recipient in ((reply.as_bytes(), mail.envelope_from), (delivery_failure_report("bounces+1x0000@localhost"), "bounces+1x0000@localhost")):
        sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
        try:
            out = io.StringIO()
            call_command("mail", "receive-bounce", "--recipient", recipient, stdout=out)
        finally:
            sys.stdin = sys.__stdin__
        assert "ignored" in out.getvalue()
    assert not SuppressedAddress.objects.exists()


def test_signing_counts_are_untouched_by_the_outbox(smtp_server):
    petition = make_petition()
    signature = sign(petition, email="counted@example.org").signature
    run_queued_tasks()
    from groundswell.petitions.actions import confirm_signature

    confirm_signature(signature=signature)
    assert count_signatures(petition) == 1


def test_bulk_recipient_hashes_are_the_same_as_one_by_one():
    addresses = ["Ada@Example.org ", "bo@example.org", ""]
    assert outbox.recipient_hashes(addresses) == [outbox.recipient_hash(a) for a in addresses]
