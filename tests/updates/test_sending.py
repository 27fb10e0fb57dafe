"""Supporter updates over real SMTP: who gets one, how often, what it says, what unsubscribing,
bouncing and complaining do."""

import io
import smtplib
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from groundswell.core import outbox
from groundswell.core.models import OutgoingEmail, SuppressedAddress
from groundswell.petitions.models import Signature
from groundswell.petitions.queries import count_signatures
from groundswell.updates import actions, queries, sending
from groundswell.updates.models import Consent, Delivery, Update
from tests.factories import make_campaign, make_opted_in, make_organisation, make_organiser, make_petition, make_signature
from tests.factories import make_update, send_update
from tests.support.mail import delivery_failure_report
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(imported_pack):
    organisation = make_organisation(name="Crisis Care Coalition")
    campaign = make_campaign(organisation)
    first, second = make_petition(campaign), make_petition(campaign)
    user = make_organiser(organisation, email="organiser@example.org")
    return {"organisation": organisation, "campaign": campaign, "petitions": (first, second), "user": user}


def _one_click_url(mail) -> str:
    return "".join(str(mail.message["List-Unsubscribe"]).split()).strip("<>")


def test_an_update_reaches_the_opted_in_once_each_with_merge_fields_and_nobody_else(world, smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "Groundswell <updates@groundswell.example>"
    first, second = world["petitions"]
    # Ada signed both petitions, with two spellings of one Gmail address: one copy.
    make_opted_in(first, "ada.lovelace@gmail.com", name="Ada Lovelace", constituency_code="E14001234")
    make_opted_in(second, "AdaLovelace+petition@gmail.com", name="Ada Lovelace", constituency_code="E14001234")
    make_opted_in(first, "bo@example.org", name="", constituency_code="")  # no name, no constituency: defaults
    make_signature(first, "no-thanks@example.org")  # did not tick "email me news"
    make_opted_in(first, "never-confirmed@example.org", confirmed=False)  # never confirmed
    withdrawn = make_opted_in(second, "left@example.org")
    actions.withdraw_consent(consent=Consent.objects.get(email_normalised="left@example.org"), how=Consent.Withdrawal.OWN_DATA_PAGE)
    actions.save_settings(organisation=world["organisation"], reply_to="hello@coalition.example", require_approval=False)
    run_queued_tasks()
    smtp_server.clear()

    update = make_update(
        world["organisation"], world["user"], campaign=world["campaign"],
        subject="News for {first_name}", body="Dear {first_name},\n\nWrite to {mp_name}, MP for {constituency}.",
    )
    assert queries.audience_size(update) == 2
    send_update(update, world["user"])
    run_queued_tasks()

    mails = smtp_server.wait_for(2)
    assert sorted(to for mail in mails for to in mail.envelope_to) == ["AdaLovelace+petition@gmail.com", "bo@example.org"]
    by_to = {mail.envelope_to[0]: mail for mail in mails}
    ada, bo = by_to["AdaLovelace+petition@gmail.com"], by_to["bo@example.org"]
    assert ada.subject == "News for Ada"
    assert "Dear Ada," in ada.text and "Write to Zöe Franklin, MP for Guildford." in ada.text
    html = ada.message.get_body(preferencelist=("html",)).get_content()
    assert "<p>Dear Ada,</p>" in html and "Zöe Franklin" in html
    assert bo.subject == "News for friend" and "Write to your MP, MP for your constituency." in bo.text
    assert str(ada.message["Reply-To"]) == "hello@coalition.example"
    assert "Crisis Care Coalition" in str(ada.message["From"]) and "updates@groundswell.example" in str(ada.message["From"])
    assert ada.envelope_from.startswith("bounces+")
    assert str(ada.message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert _one_click_url(ada).startswith("http://testserver/updates/unsubscribe/")
    assert "left@example.org" not in [to for mail in mails for to in mail.envelope_to]
    update.refresh_from_db()
    assert update.status == Update.Status.SENT
    assert queries.figures(update)["sent"] == 2
    assert withdrawn.pk  # their signature is untouched by withdrawing
    assert Signature.objects.filter(pk=withdrawn.pk, confirmed_at__isnull=False).exists()


def test_the_one_click_post_with_no_cookie_and_no_token_unsubscribes_and_the_signature_still_counts(world, smtp_server):
    first, _ = world["petitions"]
    signature = make_opted_in(first, "robin@example.org", name="Robin")
    run_queued_tasks()
    smtp_server.clear()
    first_update = make_update(world["organisation"], world["user"])
    send_update(first_update, world["user"])
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    smtp_server.clear()

    # As a mail program does it (RFC 8058): a POST, no cookie, no CSRF token.
    browserless = Client(enforce_csrf_checks=True)
    response = browserless.post(_one_click_url(mail).removeprefix("http://testserver"), "List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not response.cookies
    consent = Consent.objects.get(email_normalised="robin@example.org")
    assert consent.withdrawn_at is not None and consent.withdrawn_how == Consent.Withdrawal.ONE_CLICK
    assert Delivery.objects.get().unsubscribed_at is not None
    assert count_signatures(first) == 1 and Signature.objects.filter(pk=signature.pk).exists()

    second_update = make_update(world["organisation"], world["user"], subject="Second")
    assert queries.audience_size(second_update) == 0
    send_update(second_update, world["user"])
    run_queued_tasks()
    assert smtp_server.messages == []
    assert queries.figures(first_update)["unsubscribed"] == 1


def test_a_get_of_the_one_click_address_changes_nothing(world, smtp_server):
    make_opted_in(world["petitions"][0], "robin@example.org")
    run_queued_tasks()
    smtp_server.clear()
    send_update(make_update(world["organisation"], world["user"]), world["user"])
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    response = Client().get(_one_click_url(mail).removeprefix("http://testserver"))
    assert response.status_code == 302
    assert Consent.objects.get().withdrawn_at is None


def test_a_hard_bounce_suppresses_the_address_and_the_next_update_skips_it(world, smtp_server, monkeypatch):
    make_opted_in(world["petitions"][0], "gone@example.org")
    make_opted_in(world["petitions"][0], "here@example.org")
    run_queued_tasks()
    smtp_server.clear()
    first_update = make_update(world["organisation"], world["user"])
    send_update(first_update, world["user"])
    run_queued_tasks()
    mails = smtp_server.wait_for(2)
    gone = next(mail for mail in mails if mail.envelope_to == ["gone@example.org"])
    smtp_server.clear()

    # The receiving server gives up and reports to the envelope sender, through real SMTP.
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as connection:
        connection.sendmail("", [gone.envelope_from], delivery_failure_report(gone.envelope_from, "gone@example.org"))
    [bounce] = smtp_server.wait_for(1)
    smtp_server.clear()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bounce.message.as_bytes())))
    call_command("mail", "receive-bounce", "--recipient", bounce.envelope_to[0], stdout=io.StringIO())
    assert outbox.is_suppressed("gone@example.org")
    assert queries.figures(first_update)["bounced"] == 1

    next_update = make_update(world["organisation"], world["user"], subject="Next")
    send_update(next_update, world["user"])
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    assert mail.envelope_to == ["here@example.org"]
    assert queries.figures(next_update)["suppressed"] == 1


def test_a_complaint_withdraws_the_consent_and_counts(world, smtp_server):
    make_opted_in(world["petitions"][0], "cross@example.org")
    run_queued_tasks()
    smtp_server.clear()
    update = make_update(world["organisation"], world["user"])
    send_update(update, world["user"])
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    token = mail.envelope_from.split("+", 1)[1].split("@")[0]
    outbox.record_bounce(token=token, complaint=True)
    assert queries.figures(update)["complained"] == 1
    assert Consent.objects.get().withdrawn_how == Consent.Withdrawal.COMPLAINT
    assert SuppressedAddress.objects.get().reason == SuppressedAddress.Reason.COMPLAINED


def test_unsubscribing_while_an_update_is_sending_stops_what_is_still_queued(world, smtp_server):
    for n in range(3):
        make_opted_in(world["petitions"][0], f"person{n}@example.org")
    run_queued_tasks()
    smtp_server.clear()
    update = make_update(world["organisation"], world["user"])
    send_update(update, world["user"])
    sending.queue_all(update.pk)  # queued, not yet sent
    assert OutgoingEmail.objects.filter(kind="updates.update", state="queued").count() == 3
    delivery = Delivery.objects.get(email_normalised="person1@example.org")
    actions.withdraw_consent(consent=delivery.consent, how=Consent.Withdrawal.UNSUBSCRIBE_PAGE, delivery=delivery)
    run_queued_tasks()
    mails = smtp_server.wait_for(2)
    assert sorted(mail.envelope_to[0] for mail in mails) == ["person0@example.org", "person2@example.org"]
    update.refresh_from_db()
    assert update.status == Update.Status.SENT


def test_a_consent_withdrawn_between_queueing_and_building_sends_nothing(world, smtp_server):
    make_opted_in(world["petitions"][0], "late@example.org")
    run_queued_tasks()
    smtp_server.clear()
    update = make_update(world["organisation"], world["user"])
    send_update(update, world["user"])
    sending.queue_all(update.pk)
    # Withdrawn behind the pipeline's back (no cancel): the build sees it and sends nothing.
    Consent.objects.update(withdrawn_at=timezone.now(), withdrawn_how=Consent.Withdrawal.ONE_CLICK)
    run_queued_tasks()
    assert smtp_server.messages == []
    assert actions.housekeeping()["update_deliveries_tidied"] == 1
    update.refresh_from_db()
    assert update.status == Update.Status.SENT


def test_the_frequency_cap_holds(world, smtp_server, settings):
    settings.UPDATES_PER_SUPPORTER_PER_WEEK = 3
    make_opted_in(world["petitions"][0], "keen@example.org")
    run_queued_tasks()
    smtp_server.clear()
    updates = [make_update(world["organisation"], world["user"], subject=f"Update {n}") for n in range(4)]
    for update in updates:
        send_update(update, world["user"])
        run_queued_tasks()
    assert len(smtp_server.wait_for(3)) == 3
    updates[3].refresh_from_db()
    assert queries.figures(updates[3])["skipped_for_cap"] == 1 and queries.figures(updates[3])["recipients"] == 0
    # Another organisation's updates do not count toward this one's cap.
    other = make_organisation()
    other_user = make_organiser(other)
    make_opted_in(make_petition(make_campaign(other)), "keen@example.org")
    run_queued_tasks()
    smtp_server.clear()
    send_update(make_update(other, other_user, subject="From the other one"), other_user)
    run_queued_tasks()
    assert [mail.subject for mail in smtp_server.wait_for(1)] == ["From the other one"]


def test_the_pace_spreads_due_times(world, settings):
    settings.UPDATES_EMAILS_PER_MINUTE = 60
    for n in range(5):
        make_opted_in(world["petitions"][0], f"p{n}@example.org")
    update = make_update(world["organisation"], world["user"])
    send_update(update, world["user"])
    sending.queue_all(update.pk)
    due = list(OutgoingEmail.objects.filter(kind="updates.update").order_by("due_at").values_list("due_at", flat=True))
    assert len(due) == 5
    assert [round((b - a).total_seconds()) for a, b in zip(due, due[1:])] == [1, 1, 1, 1]


def test_queueing_resumes_from_its_cursor_without_a_second_copy(world, settings):
    for n in range(7):
        make_opted_in(world["petitions"][0], f"p{n}@example.org")
    update = make_update(world["organisation"], world["user"])
    send_update(update, world["user"])
    assert sending.queue_next_batch(update_id=update.pk, batch_size=3) == 3
    # The task died here; another run (housekeeping, or the task run again) carries on.
    assert sending.queue_all(update.pk) == 4
    assert sending.queue_all(update.pk) == 0
    assert Delivery.objects.filter(update=update).count() == 7
    assert OutgoingEmail.objects.filter(kind="updates.update").count() == 7


def test_audiences_by_petition_nation_constituency_and_mp_not_replied(world):
    from groundswell.letters.models import Letter
    from tests.factories import make_action, make_letter

    first, second = world["petitions"]
    make_opted_in(first, "guildford@example.org", constituency_code="E14001234")
    make_opted_in(second, "aldershot@example.org", constituency_code="E14001063")
    make_opted_in(second, "aberdeen@example.org", constituency_code="S14000061")
    organisation = world["organisation"]

    def size(**fields):
        return queries.audience_size(Update(organisation=organisation, **fields))

    assert size() == 3
    assert size(audience_petition=first) == 1
    assert size(audience_nation="Scotland") == 1
    assert size(audience_constituency="E14001063") == 1
    # Letters to MPs: Guildford's MP replied, Aldershot's did not.
    action = make_action(world["campaign"])
    for code, answer in [("E14001234", Letter.Answer.REPLIED), ("E14001063", Letter.Answer.NO_REPLY)]:
        letter = make_letter(action, email=f"writer-{code}@example.org")
        Letter.objects.filter(pk=letter.pk).update(constituency_code=code, sent_at=timezone.now(), answer=answer)
    assert queries.constituencies_mp_not_replied(organisation.pk) == ["E14001063"]
    assert size(audience_mp_not_replied=True) == 1


def test_a_scheduled_update_waits_for_its_time(world, smtp_server):
    make_opted_in(world["petitions"][0], "p@example.org")
    run_queued_tasks()
    smtp_server.clear()
    update = make_update(world["organisation"], world["user"])
    actions.request_sending(update=update, user=world["user"], send_at=timezone.now() + timedelta(hours=2))
    run_queued_tasks()
    assert smtp_server.messages == []
    update.refresh_from_db()
    assert update.status == Update.Status.SCHEDULED
    Update.objects.filter(pk=update.pk).update(send_at=timezone.now() - timedelta(seconds=1))
    run_queued_tasks(include_deferred=True)
    assert len(smtp_server.wait_for(1)) == 1


def test_approval_by_a_second_organiser(world, smtp_server):
    from groundswell.updates.errors import UpdateRuleBroken

    make_opted_in(world["petitions"][0], "p@example.org")
    run_queued_tasks()
    smtp_server.clear()
    actions.save_settings(organisation=world["organisation"], reply_to="", require_approval=True)
    update = make_update(world["organisation"], world["user"])
    send_update(update, world["user"])
    run_queued_tasks()
    assert smtp_server.messages == []
    update.refresh_from_db()
    assert update.status == Update.Status.AWAITING_APPROVAL
    with pytest.raises(UpdateRuleBroken):
        actions.approve(update=update, user=world["user"])
    second = make_organiser(world["organisation"])
    actions.approve(update=update, user=second)
    run_queued_tasks()
    assert len(smtp_server.wait_for(1)) == 1
    update.refresh_from_db()
    assert update.approved_by == second


def test_a_batch_of_updates_asks_for_the_constituencies_once_not_once_per_email(world, smtp_server):
    """The merge values come from the constituency directory; asking it per email was a query per
    email, a quarter of the sending time (docs/performance.md)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, _ = world["petitions"]
    for n in range(12):
        make_opted_in(first, f"person{n}@example.org", name=f"Person{n} Example", constituency_code="E14001234")
    run_queued_tasks()
    smtp_server.clear()
    update = make_update(world["organisation"], world["user"], campaign=world["campaign"], body="Write to {mp_name}.")
    send_update(update, world["user"])
    sending.queue_all(update.pk)
    with CaptureQueriesContext(connection) as captured:
        assert outbox.send_all_due() == 12
    asked = [query["sql"] for query in captured.captured_queries if "geography_boundaryset" in query["sql"]]
    assert len(asked) == 1, asked
    assert all("Write to Zöe Franklin." in mail.text for mail in smtp_server.wait_for(12))
