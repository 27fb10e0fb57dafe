"""Building event emails; the outbox (core/outbox.py) sends them, built from the data as it is
when sent (an RSVP cancelled meanwhile gets nothing; an event moved meanwhile shows the new time).

Every email to someone who RSVP'd carries their link to change or cancel it. The confirmation and
reminder carry the joining link of an online event (only to confirmed places) and a calendar file.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from groundswell.core.i18n import local_text
from groundswell.events import ical, tokens
from groundswell.events.models import RSVP

# The kinds of email events send (core/outbox.py; registered in events/actions.py).
CONFIRM_REQUEST = "events.confirm_request"  # "please confirm your RSVP"
CONFIRMED = "events.confirmed"  # your place is confirmed (details, joining link, .ics)
WAITING = "events.waiting"  # the event is full: you are on the waiting list
MOVED_UP = "events.moved_up"  # a place came free: yours now
REMINDER = "events.reminder"  # a day before
CHANGED = "events.changed"  # the organisers moved the event (time, place or link)
CANCELLED = "events.cancelled"  # the organisers cancelled the event

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text or "").split())


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def manage_url(rsvp: RSVP) -> str:
    return _absolute(reverse("events:manage", args=[tokens.MANAGE_LINK.make(rsvp.public_id)]))


def _title(rsvp: RSVP) -> str:
    """The event's title in the email's language (built under it, core/outbox.py)."""
    return local_text(rsvp.event, "title")[0]


def _message(rsvp: RSVP, subject: str, kind: str, context: dict | None = None, *, calendar: bool = False) -> EmailMessage:
    event = rsvp.event
    confirmed = rsvp.status == RSVP.Status.CONFIRMED
    context = {
        "rsvp": rsvp,
        "event": event,
        "event_title": _title(rsvp),
        "kind": kind,
        "confirmed": confirmed,
        "joining_link": event.joining_link if confirmed and event.online else "",
        "event_url": _absolute(reverse("events:detail", args=[event.pk])),
        "manage_url": manage_url(rsvp),
        "address_line": ", ".join(line.strip() for line in event.address.splitlines() if line.strip()),
        "retention_days": settings.EVENT_ACCESS_NEEDS_RETENTION_DAYS,
        **(context or {}),
    }
    message = EmailMessage(
        subject=one_line(subject),
        body=render_to_string("events/emails/rsvp.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[rsvp.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    if calendar:
        message.attach("event.ics", ical.event_calendar(event, joining_link=context["joining_link"]), "text/calendar")
    return message


def build_confirm_request(rsvp: RSVP) -> EmailMessage:
    confirm_url = _absolute(reverse("events:confirm", args=[tokens.CONFIRMATION_LINK.make(rsvp.public_id)]))
    return _message(
        rsvp, gettext("Please confirm your reply: %(title)s") % {"title": _title(rsvp)}, CONFIRM_REQUEST,
        {"confirm_url": confirm_url, "confirmation_days": settings.EVENTS_CONFIRMATION_DAYS},
    )


def build_confirmed(rsvp: RSVP) -> EmailMessage:
    return _message(rsvp, gettext("Your place is confirmed: %(title)s") % {"title": _title(rsvp)}, CONFIRMED, calendar=True)


def build_waiting(rsvp: RSVP) -> EmailMessage:
    return _message(rsvp, gettext("You are on the waiting list: %(title)s") % {"title": _title(rsvp)}, WAITING)


def build_moved_up(rsvp: RSVP) -> EmailMessage:
    return _message(rsvp, gettext("A place came free, and it is yours: %(title)s") % {"title": _title(rsvp)}, MOVED_UP, calendar=True)


def _when_words(event) -> str:
    """ "today at 18:30", "tomorrow at 18:30" or "on Saturday 28 March at 18:30", in the event's zone."""
    start = event.local_start
    today = timezone.now().astimezone(event.zone).date()
    at = start.strftime("%H:%M")
    if start.date() == today:
        return gettext("today at %(time)s") % {"time": at}
    if start.date() == today + timedelta(days=1):
        return gettext("tomorrow at %(time)s") % {"time": at}
    return gettext("on %(date)s at %(time)s") % {"date": date_format(start.date(), "l j F"), "time": at}


def build_reminder(rsvp: RSVP) -> EmailMessage:
    subject = gettext("Reminder: %(title)s, %(when)s") % {"title": _title(rsvp), "when": _when_words(rsvp.event)}
    return _message(rsvp, subject, REMINDER, calendar=True)


def build_changed(rsvp: RSVP) -> EmailMessage:
    return _message(
        rsvp, gettext("Changed: %(title)s") % {"title": _title(rsvp)}, CHANGED, calendar=rsvp.status == RSVP.Status.CONFIRMED
    )


def build_cancelled(rsvp: RSVP) -> EmailMessage:
    return _message(rsvp, gettext("Cancelled: %(title)s") % {"title": _title(rsvp)}, CANCELLED, calendar=True)
