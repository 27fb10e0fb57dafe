"""Reminder digests: overdue commitments and silent targets reach organisers once, by real SMTP."""

from datetime import date

import pytest
import time_machine

from groundswell.composition.tasks import run_maintenance
from groundswell.ledger.actions import queue_ledger_reminders
from groundswell.ledger.models import Reminder
from tests.factories import (
    make_ask, make_campaign, make_commitment, make_organisation, make_organiser, make_response, make_target,
)
from tests.support.concurrency import run_at_once
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(settings):
    settings.LEDGER_SILENCE_REMINDER_DAYS = 30
    organisation = make_organisation("Coalition")
    make_organiser(organisation, email="owner@example.org", role="owner")
    make_organiser(organisation, email="organiser@example.org")
    make_organiser(organisation, email="moderator@example.org", role="moderator")
    campaign = make_campaign(organisation)
    silent = make_target(organisation, name="NHS England")
    make_ask(campaign, silent, asked_on=date(2024, 1, 10))
    answering = make_target(organisation, name="Surrey Police")
    reply = make_response(make_ask(campaign, answering, asked_on=date(2024, 1, 10)), received_on=date(2024, 1, 20))
    make_commitment(reply, promise="Review the scheme.", due_on=date(2024, 6, 30))
    other = make_organisation("Other")
    make_organiser(other, email="other@example.org")
    return organisation


def _maintenance():
    run_maintenance.enqueue()
    run_queued_tasks()


def test_the_digest_arrives_once_for_each_overdue_commitment_and_silent_target(ledger, smtp_server):
    with time_machine.travel(date(2024, 1, 20)):
        _maintenance()
    assert smtp_server.messages == []  # nothing overdue, nobody silent for 30 days yet

    with time_machine.travel(date(2024, 2, 15)):
        _maintenance()
    first = smtp_server.wait_for(2)
    # One email to each owner and organiser (not the moderator, not another organisation).
    assert sorted(m.envelope_to[0] for m in first) == ["organiser@example.org", "owner@example.org"]
    mail = first[0]
    assert "1 target not answering" in mail.subject
    assert "NHS England: asked on 10 January 2024, no response for 36 days" in mail.text

    with time_machine.travel(date(2024, 2, 16)):
        _maintenance()
        _maintenance()
    assert len(smtp_server.messages) == 2  # the same reminder is never sent twice

    with time_machine.travel(date(2024, 7, 2)):
        _maintenance()
    messages = smtp_server.wait_for(4)
    overdue = messages[2]
    assert "1 overdue commitment" in overdue.subject
    assert "Surrey Police promised: Review the scheme." in overdue.text
    assert "now 2 days overdue" in overdue.text
    assert "NHS England" not in overdue.text
    assert overdue.links() and all(link.startswith("http://testserver/organise/ledger/") for link in overdue.links())
    with time_machine.travel(date(2024, 7, 3)):
        _maintenance()
    assert len(smtp_server.messages) == 4
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2


def test_when_smtp_is_down_the_reminder_is_retried_until_it_arrives(ledger, stopped_smtp_server):
    with time_machine.travel(date(2024, 7, 2)):
        _maintenance()
        assert Reminder.objects.filter(sent_at__isnull=True).count() == 2
        stopped_smtp_server.start()
        run_queued_tasks(include_deferred=True)
        _maintenance()
    mails = stopped_smtp_server.wait_for(2)
    assert all("1 overdue commitment and 1 target not answering" in mail.subject for mail in mails)
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    assert len(stopped_smtp_server.messages) == 2


def test_noting_reminders_twice_notes_each_subject_once(ledger):
    with time_machine.travel(date(2024, 7, 2)):
        assert queue_ledger_reminders() == 2
        assert queue_ledger_reminders() == 0
    assert Reminder.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_digest_at_once_send_it_once(ledger, smtp_server):
    """Real threads with their own database connections race to send the same digests."""
    from groundswell.core import outbox

    with time_machine.travel(date(2024, 7, 2)):
        queue_ledger_reminders()
        queue_ledger_reminders()  # a second housekeeping run queues nothing more

        def worker():
            while outbox.send_due_batch(limit=1)[0]:
                pass

        run_at_once(worker, n=2)
    smtp_server.wait_for(2)
    assert sorted(m.envelope_to[0] for m in smtp_server.messages) == ["organiser@example.org", "owner@example.org"]
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2
