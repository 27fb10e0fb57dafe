"""In real Chromium: an organiser sets up an event; a supporter replies with access needs,
confirms through the email a real SMTP server received, gets the calendar file and, with the
clock moved, the reminder; the organiser sees the need; a week after the event it is gone and the
count stays. axe-core checks every page on the way (WCAG 2.2 A and AA)."""

from datetime import timedelta, timezone as dt_timezone

import pytest
import time_machine
import vobject
from django.utils import timezone
from playwright.sync_api import expect

from groundswell.composition.tasks import run_maintenance
from groundswell.events import actions
from groundswell.events.models import RSVP, Event
from tests.factories import data_link_token, make_campaign, make_event, make_organisation, make_organiser, make_rsvp
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password"


def _log_in(page, site, email):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _parse(text):
    [vevent] = vobject.readOne(text).vevent_list
    return vevent


def test_a_supporter_replies_with_access_needs_and_the_organiser_and_the_clock_follow(site, browser, page, axe, smtp_server, settings):
    settings.EVENT_ACCESS_NEEDS_RETENTION_DAYS = 7
    organisation = make_organisation("Crisis Care Coalition")
    make_organiser(organisation, email="jo@example.org", password=PASSWORD)
    campaign = make_campaign(organisation, slug="care-not-police", title="Care not police")

    # The organiser creates the event (a mistake first), then publishes it.
    _log_in(page, site, "jo@example.org")
    page.goto(f"{site}/organise/")
    page.get_by_role("link", name="Events").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    axe.assert_no_violations(page)
    page.get_by_role("link", name="New event").click()
    axe.assert_no_violations(page)
    start = timezone.now() + timedelta(days=3)
    local = start.astimezone(Event(time_zone="Europe/London").zone)
    page.get_by_label("Title", exact=True).fill("Coalition meeting about crisis care")
    page.get_by_label("Date", exact=True).fill(local.date().isoformat())
    page.get_by_label("Start time").fill("18:30")
    page.get_by_label("End time").fill("17:00")
    page.get_by_label("In person and online").check()
    page.get_by_label("Venue").fill("Guildford Library")
    page.get_by_label("Step-free access").fill("Level entrance from North Street; lift to the first floor.")
    page.get_by_label("Joining link").fill("http://meet.example.org/crisis-care")
    page.get_by_label("Places").fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("There is a problem").or_(page.get_by_role("alert")).first).to_be_visible()
    expect(page.get_by_text("The event must end after it starts").first).to_be_visible()
    expect(page.get_by_text("must start with https://").first).to_be_visible()
    expect(page.get_by_text("Enter at least 1 place").first).to_be_visible()
    axe.assert_no_violations(page)
    assert not Event.objects.exists()
    page.get_by_label("End time").fill("20:30")
    page.get_by_label("Joining link").fill("https://meet.example.org/crisis-care")
    page.get_by_label("Places").fill("30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coalition meeting about crisis care")
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published “Coalition meeting about crisis care”")).to_be_visible()
    event = Event.objects.get()
    assert event.status == "published" and event.local_start.hour == 18 and event.local_start.minute == 30

    # A supporter, without an account, finds it on the campaign page and replies.
    supporter = browser.new_context().new_page()
    supporter.goto(f"{site}/campaigns/care-not-police/")
    supporter.get_by_role("link", name="Coalition meeting about crisis care").click()
    expect(supporter.get_by_role("heading", level=1)).to_have_text("Coalition meeting about crisis care")
    expect(supporter.get_by_text("Level entrance from North Street")).to_be_visible()
    assert "meet.example.org" not in supporter.content()  # the link is only for confirmed places
    axe.assert_no_violations(supporter)
    supporter.get_by_label("Email address").fill("not an address")
    supporter.get_by_role("button", name="Reply").click()
    expect(supporter.get_by_text("Enter your name, so the organisers know who is coming.").first).to_be_visible()
    expect(supporter.get_by_text("Enter an email address in the form name@example.com.").first).to_be_visible()
    axe.assert_no_violations(supporter)
    assert not RSVP.objects.exists()
    supporter.get_by_label("Your name").fill("Robin Reader")
    supporter.get_by_label("Email address").fill("robin@example.org")
    supporter.get_by_label("In person", exact=True).check()
    supporter.get_by_label("A British Sign Language (BSL) interpreter").check()
    supporter.get_by_label("Step-free access (for a wheelchair or walking aid)").check()
    supporter.get_by_label("Anything else you need").fill("I will bring my assistance dog.")
    supporter.get_by_role("button", name="Reply").click()
    expect(supporter.get_by_role("heading", level=1)).to_have_text("Check your email to confirm your reply")
    axe.assert_no_violations(supporter)

    run_queued_tasks()
    [request] = smtp_server.wait_for(1)
    assert request.envelope_to == ["robin@example.org"]
    [link] = [link for link in request.links() if "/events/confirm/" in link]
    supporter.goto(link)
    expect(supporter.get_by_role("heading", level=1)).to_have_text("Confirm your reply")
    axe.assert_no_violations(supporter)
    run_queued_tasks()
    assert len(smtp_server.messages) == 1  # opening the link sent nothing
    supporter.get_by_role("button", name="Confirm my reply").click()
    expect(supporter.get_by_role("heading", level=1)).to_have_text("Your place is confirmed")
    expect(supporter.get_by_role("link", name="https://meet.example.org/crisis-care")).to_be_visible()
    axe.assert_no_violations(supporter)

    run_queued_tasks()
    confirmed = smtp_server.wait_for(2)[1]
    assert "Your place is confirmed" in confirmed.subject and "https://meet.example.org/crisis-care" in confirmed.text
    [attachment] = list(confirmed.message.iter_attachments())
    vevent = _parse(attachment.get_content() if isinstance(attachment.get_content(), str) else attachment.get_content().decode())
    assert vevent.dtstart.value.astimezone(dt_timezone.utc) == event.starts_at.astimezone(dt_timezone.utc)
    assert (vevent.dtstart.value.hour, vevent.dtstart.value.minute) == (18, 30)
    # The page's own calendar file too, with the joining link for a confirmed place.
    href = supporter.get_by_role("link", name="Add to your calendar (.ics file)").get_attribute("href")
    downloaded = supporter.request.get(f"{site}{href}")
    assert "https://meet.example.org/crisis-care" in _parse(downloaded.text()).description.value

    # The clock moves to the day before: housekeeping sends the reminder.
    with time_machine.travel(event.starts_at - timedelta(hours=20), tick=True):
        run_maintenance.call()
        run_queued_tasks()
        reminder = smtp_server.wait_for(3)[2]
    assert reminder.subject.startswith("Reminder: Coalition meeting about crisis care, ")
    assert reminder.subject.endswith(" at 18:30")
    assert "https://meet.example.org/crisis-care" in reminder.text and "/events/reply/" in reminder.text

    # The organiser sees the need, and the counts for the venue; the sign-in list has no needs.
    page.goto(f"{site}/organise/events/{event.pk}/")
    expect(page.get_by_role("row", name="A British Sign Language (BSL) interpreter 1")).to_be_visible()
    page.get_by_role("link", name="Attendees and their access needs").click()
    expect(page.get_by_role("row", name="Robin Reader")).to_contain_text("I will bring my assistance dog.")
    expect(page.get_by_role("row", name="Robin Reader")).to_contain_text("British Sign Language")
    axe.assert_no_violations(page)
    page.goto(f"{site}/organise/events/{event.pk}/sign-in/")
    expect(page.get_by_role("row", name="Robin Reader")).to_be_visible()
    assert "assistance dog" not in page.content() and "Sign Language" not in page.content()
    axe.assert_no_violations(page)

    # Seven days after the event the need is gone, and the count stays.
    with time_machine.travel(event.ends_at + timedelta(days=7, minutes=5), tick=True):
        run_maintenance.call()
        page.goto(f"{site}/organise/events/{event.pk}/attendees/")
        expect(page.get_by_role("row", name="Robin Reader")).to_contain_text("(deleted after the event)")
        assert "assistance dog" not in page.content()
        axe.assert_no_violations(page)
        page.goto(f"{site}/organise/events/{event.pk}/")
        expect(page.get_by_text("1 person with a place")).to_be_visible()
        supporter.goto(f"{site}/events/{event.pk}/")
        expect(supporter.get_by_text("This event has taken place.")).to_be_visible()
        expect(supporter.get_by_text("1 person had a place.")).to_be_visible()
        assert supporter.get_by_role("button", name="Reply").count() == 0
        axe.assert_no_violations(supporter)
    rsvp = RSVP.objects.get()
    assert (rsvp.access_needs, rsvp.access_needs_other, rsvp.status) == ([], "", "confirmed")


def test_a_full_event_in_the_browser_puts_the_next_person_on_the_waiting_list_and_moves_them_up(site, page, axe, smtp_server):
    event = make_event(make_campaign(slug="waiting-campaign"), capacity=1, title="Small meeting")
    taken = make_rsvp(event, email="first@example.org")
    page.goto(f"{site}/events/{event.pk}/")
    expect(page.get_by_text("The event is full")).to_be_visible()
    page.get_by_label("Your name").fill("Sam Second")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_role("button", name="Reply").click()
    run_queued_tasks()
    [link] = [link for m in smtp_server.wait_for(2) for link in m.links() if "/events/confirm/" in link]
    page.goto(link)
    page.get_by_role("button", name="Confirm my reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are on the waiting list")
    axe.assert_no_violations(page)
    run_queued_tasks()
    smtp_server.clear()
    actions.cancel_rsvp(rsvp=taken)
    run_queued_tasks()
    [moved_up] = smtp_server.wait_for(1)
    assert moved_up.envelope_to == ["sam@example.org"] and "A place came free" in moved_up.subject
    [manage] = [link for link in moved_up.links() if "/events/reply/" in link]
    page.goto(manage)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your place is confirmed")
    page.get_by_role("link", name="Cancel my reply").click()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Yes, cancel my reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reply is cancelled")
    axe.assert_no_violations(page)

    # The reply is on Sam's own data page, and can be deleted from there.
    page.goto(f"{site}/my-data/{data_link_token('sam@example.org')}/")
    expect(page.get_by_role("heading", name="Reply to “Small meeting”")).to_be_visible()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Cancel or delete this reply to Small meeting").click()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Yes, delete my reply").click()
    expect(page.get_by_text("Your reply to “Small meeting” is deleted.")).to_be_visible()
    assert not RSVP.objects.filter(email_normalised="sam@example.org").exists()


def test_the_organisers_cancel_page_passes_axe(site, page, axe, smtp_server):
    organisation = make_organisation()
    make_organiser(organisation, email="kim@example.org", password=PASSWORD)
    event = make_event(make_campaign(organisation), title="Meeting to call off")
    make_rsvp(event, email="one@example.org")
    _log_in(page, site, "kim@example.org")
    page.goto(f"{site}/organise/events/{event.pk}/")
    page.get_by_role("link", name="Cancel the event").click()
    expect(page.get_by_text("We will email the 1 person")).to_be_visible()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Yes, cancel the event").click()
    expect(page.get_by_text("Cancelled “Meeting to call off”")).to_be_visible()
    axe.assert_no_violations(page)
    run_queued_tasks()
    cancelled = [m for m in smtp_server.wait_for(1) if m.subject.startswith("Cancelled:")]  # the unsent confirmation is dropped
    assert [m.envelope_to for m in cancelled] == [["one@example.org"]]
    page.goto(f"{site}/events/{event.pk}/")
    expect(page.get_by_text("This event has been cancelled.")).to_be_visible()
    assert page.get_by_role("button", name="Reply").count() == 0
    axe.assert_no_violations(page)
