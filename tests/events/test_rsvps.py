"""Replying to an event without an account: confirming by email (a real SMTP server), the
waiting list and moving up, cancelling, the organisers moving or cancelling the event, reminders."""

import base64
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from groundswell.core.signed_links import InvalidToken
from groundswell.events import actions, tokens
from groundswell.events.errors import NotTakingRSVPs
from groundswell.events.models import RSVP, Event
from tests.factories import make_event, make_rsvp
from tests.support.concurrency import run_at_once
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def _link(mail, part):
    [link] = [link for link in mail.links() if part in link]
    return link


def test_a_reply_is_confirmed_from_the_email_and_gets_its_details_and_calendar_file(client, smtp_server):
    event = make_event(mode=Event.Mode.ONLINE, venue="", joining_link="https://meet.example.org/listen-123")
    response = client.post(f"/events/{event.pk}/", {"name": "Robin Reader", "email": "Robin@Example.org", "access_needs": ["captions"]})
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/check-your-email/"
    rsvp = RSVP.objects.get()
    assert (rsvp.status, rsvp.email, rsvp.email_normalised, rsvp.access_needs) == ("pending", "Robin@Example.org", "robin@example.org", ["captions"])
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    assert mail.envelope_to == ["Robin@Example.org"]
    assert "meet.example.org" not in mail.text  # no joining link before the place is confirmed
    confirm = _link(mail, "/events/confirm/")
    path = confirm.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    rsvp.refresh_from_db()
    assert rsvp.status == "pending"  # opening the link changes nothing
    response = client.post(path)
    assert response.status_code == 302 and "/events/reply/" in response["Location"]
    rsvp.refresh_from_db()
    assert rsvp.status == "confirmed"
    run_queued_tasks()
    confirmed = smtp_server.wait_for(2)[1]
    assert "Your place is confirmed" in confirmed.subject
    assert "https://meet.example.org/listen-123" in confirmed.text
    [attachment] = [part for part in confirmed.message.iter_attachments()]
    assert attachment.get_content_type() == "text/calendar"
    assert b"BEGIN:VEVENT" in attachment.get_content() if isinstance(attachment.get_content(), bytes) else "BEGIN:VEVENT" in attachment.get_content()
    page = client.get(response["Location"])
    assert b"https://meet.example.org/listen-123" in page.content


def test_no_token_in_any_email_reveals_a_name_or_address(client, smtp_server):
    event = make_event(capacity=1)
    make_rsvp(event, email="first@example.org", name="First Person", confirm=False)
    run_queued_tasks()  # the confirmation request
    actions.confirm_rsvp(rsvp=RSVP.objects.get(email="first@example.org"))
    rsvp = make_rsvp(event, email="second@example.org", name="Second Person")
    run_queued_tasks()
    actions.cancel_rsvp(rsvp=RSVP.objects.get(email="first@example.org"))
    run_queued_tasks()
    mails = smtp_server.wait_for(4)

    for mail in mails:
        for link in mail.links():
            for token in re.findall(r"/events/(?:confirm|reply)/([^/]+)/", link):
                decoded = base64.urlsafe_b64decode(token.split(":")[0] + "==").decode(errors="replace")
                assert "@" not in token and "example" not in decoded and "Person" not in decoded
    assert rsvp.pk


def test_a_full_event_puts_the_next_person_on_the_waiting_list_and_a_cancellation_moves_them_up(smtp_server):
    event = make_event(capacity=1)
    first = make_rsvp(event, email="first@example.org")
    second = make_rsvp(event, email="second@example.org")
    assert (first.status, second.status) == ("confirmed", "waiting")
    run_queued_tasks()
    smtp_server.wait_for(2)  # the confirmation requests are not sent: both were confirmed at once
    assert "waiting list" in [m for m in smtp_server.messages if m.envelope_to == ["second@example.org"]][-1].subject
    smtp_server.clear()
    assert actions.cancel_rsvp(rsvp=first) is True
    second.refresh_from_db()
    assert second.status == "confirmed"
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    assert mail.envelope_to == ["second@example.org"]
    assert "A place came free" in mail.subject
    assert "/events/reply/" in mail.text
    assert actions.cancel_rsvp(rsvp=first) is False  # a second cancel changes nothing


def test_online_places_in_an_event_both_in_person_and_online_never_run_out():
    event = make_event(capacity=1, mode=Event.Mode.BOTH, joining_link="https://meet.example.org/x")
    make_rsvp(event, email="room@example.org", attendance="in_person")
    online = make_rsvp(event, email="online@example.org", attendance="online")
    waiting = make_rsvp(event, email="waiting@example.org", attendance="in_person")
    assert (online.status, waiting.status) == ("confirmed", "waiting")


def test_replies_to_a_cancelled_draft_or_past_event_are_refused_and_nothing_is_stored(client):
    for event in (
        make_event(status=Event.Status.CANCELLED),
        make_event(status=Event.Status.DRAFT),
        make_event(starts_in=-timedelta(days=3)),
    ):
        with pytest.raises(NotTakingRSVPs):
            actions.send_rsvp(event=event, name="Sam", email="sam@example.org")
    cancelled, _, past = Event.objects.order_by("pk")
    response = client.post(f"/events/{cancelled.pk}/", {"name": "Sam", "email": "sam@example.org"})
    assert response.status_code == 409 and "has been cancelled" in response.content.decode()
    response = client.post(f"/events/{past.pk}/", {"name": "Sam", "email": "sam@example.org"})
    assert response.status_code == 409 and "already taken place" in response.content.decode()
    assert "takes no replies" not in client.get(f"/events/{past.pk}/").content.decode()
    assert "This event has taken place" in client.get(f"/events/{past.pk}/").content.decode()
    assert not RSVP.objects.exists()


def test_confirming_after_the_event_was_cancelled_is_refused(client):
    event = make_event()
    rsvp = make_rsvp(event, confirm=False)
    actions.cancel_event(event=event)
    token = tokens.CONFIRMATION_LINK.make(rsvp.public_id)
    response = client.post(f"/events/confirm/{token}/")
    assert response.status_code == 409 and "cancelled" in response.content.decode()
    rsvp.refresh_from_db()
    assert rsvp.status == "pending"


def test_a_forged_or_other_purpose_token_does_not_work(client):
    rsvp = make_rsvp(make_event(), confirm=False)
    manage = tokens.MANAGE_LINK.make(rsvp.public_id)
    with pytest.raises(InvalidToken):
        tokens.CONFIRMATION_LINK.read(manage)
    assert client.post(f"/events/confirm/{manage}/").status_code == 404
    assert client.get("/events/reply/nonsense/").status_code == 404


def test_a_repeat_reply_changes_nothing_someone_else_typed(smtp_server):
    event = make_event()
    rsvp = make_rsvp(event, email="robin@example.org", access_needs=["bsl"])
    again = actions.send_rsvp(event=event, name="Someone Else", email="robin@example.org", access_needs=[])
    assert again.pk == rsvp.pk
    rsvp.refresh_from_db()
    assert (rsvp.name, rsvp.access_needs, rsvp.status) == ("Alex Attendee", ["bsl"], "confirmed")


def test_organisers_moving_the_event_tell_everyone_and_cancelling_it_too(smtp_server):
    event = make_event(capacity=1)
    make_rsvp(event, email="one@example.org")
    make_rsvp(event, email="two@example.org")  # waiting
    make_rsvp(event, email="pending@example.org", confirm=False)
    run_queued_tasks()
    smtp_server.wait_for(3)
    smtp_server.clear()

    from groundswell.campaigns.models import Campaign
    from groundswell.events.forms import EventForm

    later = event.local_start + timedelta(hours=1)
    ends = later + timedelta(hours=2)  # its own date: run late in the evening, the end is the next day
    data = {
        "campaign": event.campaign_id, "title": event.title, "description": event.description,
        "starts_on": later.date().isoformat(), "starts_time": later.strftime("%H:%M"), "ends_on": ends.date().isoformat(),
        "ends_time": ends.strftime("%H:%M"), "time_zone": "Europe/London", "mode": "in_person",
        "venue": "Another hall", "address": "", "capacity": "1",
    }
    form = EventForm(data, instance=event, campaigns=Campaign.objects.all())
    assert form.is_valid(), form.errors
    actions.save_event(form=form)
    run_queued_tasks()
    mails = smtp_server.wait_for(2)
    assert sorted(m.envelope_to[0] for m in mails) == ["one@example.org", "two@example.org"]
    assert all("Changed:" in m.subject and "Another hall" in m.text for m in mails)
    smtp_server.clear()
    assert actions.cancel_event(event=event) == 2
    run_queued_tasks()
    mails = smtp_server.wait_for(2)
    assert all("Cancelled:" in m.subject for m in mails)


def test_the_reminder_goes_a_day_before_once(smtp_server):
    event = make_event(starts_in=timedelta(days=3))
    make_rsvp(event)
    run_queued_tasks()
    smtp_server.wait_for(1)
    smtp_server.clear()
    assert actions.queue_event_work()["event_reminders"] == 0
    later = event.starts_at - timedelta(hours=20)
    assert actions.queue_event_work(now=later)["event_reminders"] == 1
    assert actions.queue_event_work(now=later)["event_reminders"] == 0
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    assert mail.subject.startswith("Reminder:")
    assert "Guildford Library" in mail.text


def test_access_needs_are_deleted_a_week_after_the_event_and_the_count_stays(settings):
    settings.EVENT_ACCESS_NEEDS_RETENTION_DAYS = 7
    event = make_event(starts_in=timedelta(days=1))
    rsvp = make_rsvp(event, access_needs=["step_free", "bsl"], access_needs_other="I use a wheelchair")
    assert actions.queue_event_work(now=event.ends_at + timedelta(days=6))["access_needs_deleted"] == 0
    assert actions.queue_event_work(now=event.ends_at + timedelta(days=7, minutes=1))["access_needs_deleted"] == 1
    rsvp.refresh_from_db()
    assert (rsvp.access_needs, rsvp.access_needs_other, rsvp.status) == ([], "", "confirmed")
    assert rsvp.access_needs_deleted_at is not None
    assert event.rsvps.filter(status="confirmed").count() == 1


def test_people_confirming_at_the_same_instant_cannot_take_more_places_than_there_are():
    event = make_event(capacity=3)
    pending = [make_rsvp(event, email=f"person{i}@example.org", confirm=False) for i in range(8)]
    statuses = run_at_once(lambda rsvp: actions.confirm_rsvp(rsvp=RSVP.objects.get(pk=rsvp.pk)), args=[(r,) for r in pending])
    assert sorted(statuses) == ["confirmed"] * 3 + ["waiting"] * 5
    assert event.rsvps.filter(status="confirmed").count() == 3
    # Two of those with a place cancel at once: exactly two move up, in the order they confirmed.
    placed = list(event.rsvps.filter(status="confirmed")[:2])
    run_at_once(lambda rsvp: actions.cancel_rsvp(rsvp=RSVP.objects.get(pk=rsvp.pk)), args=[(r,) for r in placed])
    assert event.rsvps.filter(status="confirmed").count() == 3
    assert event.rsvps.filter(status="waiting").count() == 3
    first_waiting = sorted(
        (r for r in RSVP.objects.filter(event=event).exclude(pk__in=[p.pk for p in placed])), key=lambda r: (r.confirmed_at, r.pk)
    )
    assert [r.status for r in first_waiting[:3]] == ["confirmed"] * 3


def test_a_flood_of_replies_from_one_network_is_stopped_kindly(client, settings):
    settings.EVENTS_LIMIT_PER_IP_PER_HOUR = 2
    event = make_event()
    for i in range(2):
        assert client.post(f"/events/{event.pk}/", {"name": "P", "email": f"p{i}@example.org"}).status_code == 302
    response = client.post(f"/events/{event.pk}/", {"name": "P", "email": "p9@example.org"})
    assert response.status_code == 409 and "try again in an hour" in response.content.decode()
    assert RSVP.objects.count() == 2


def test_after_the_event_a_reply_cannot_be_cancelled_so_the_count_stays(client):
    event = make_event(starts_in=timedelta(days=1))
    rsvp = make_rsvp(event)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1))
    token = tokens.MANAGE_LINK.make(rsvp.public_id)
    client.post(f"/events/reply/{token}/cancel/", {"confirm": "yes"})
    rsvp.refresh_from_db()
    assert rsvp.status == "confirmed"
    assert actions.cancel_rsvp(rsvp=rsvp) is False
