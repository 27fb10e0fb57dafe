"""Every write to events and RSVPs. Views, tasks and housekeeping call these; nothing else writes.

Each runs in one transaction and queues its emails inside it (core/outbox.py), so an RSVP and its
email commit together. Places are given under a lock on the event row (SELECT … FOR UPDATE on
PostgreSQL; SQLite's write transaction is exclusive), so two people confirming at once cannot
both take the last place.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from groundswell.core import counters, outbox
from groundswell.core.networks import rate_limit_subject
from groundswell.events import emails, queries
from groundswell.events.errors import (
    ALREADY_EMAILED_MESSAGE, CANCELLED_MESSAGE, DRAFT_MESSAGE, PAST_MESSAGE, RATE_LIMIT_MESSAGE, STARTED_MESSAGE, EventError,
    NotTakingRSVPs,
)
from groundswell.events.models import RSVP, AccessNeed, AttendeeListView, Event
from groundswell.supporters import personal_data
from groundswell.supporters.email_addresses import normalise_email

Status = RSVP.Status
# Changing any of these tells everyone who RSVP'd, and sends a new calendar file.
MOVING_FIELDS = ("starts_at", "ends_at", "time_zone", "mode", "venue", "address", "joining_link")
ALL_KINDS = (
    emails.CONFIRM_REQUEST, emails.CONFIRMED, emails.WAITING, emails.MOVED_UP, emails.REMINDER, emails.CHANGED, emails.CANCELLED,
)


def check_taking_rsvps(event: Event, now=None) -> None:
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        raise NotTakingRSVPs(str(CANCELLED_MESSAGE))
    if event.status != Event.Status.PUBLISHED:
        raise NotTakingRSVPs(str(DRAFT_MESSAGE))
    if event.is_past(now):
        raise NotTakingRSVPs(str(PAST_MESSAGE))
    if event.has_started(now):
        raise NotTakingRSVPs(str(STARTED_MESSAGE))


def _clean_needs(access_needs) -> list[str]:
    return [value for value in AccessNeed.values if value in set(access_needs or [])]


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("campaign__organisation").get(pk=event.pk)


def _has_room_for(event: Event, attendance: str, *, leaving: RSVP | None = None) -> bool:
    if event.capacity is None or (event.mode == Event.Mode.BOTH and attendance != RSVP.Attendance.IN_PERSON):
        return True
    taken = queries.places_taken(event)
    if leaving is not None and leaving.status == Status.CONFIRMED and leaving.counts_toward_capacity:
        taken -= 1
    return taken < event.capacity


def _attendance_for(event: Event, attendance: str) -> str:
    if event.mode == Event.Mode.IN_PERSON:
        return RSVP.Attendance.IN_PERSON
    if event.mode == Event.Mode.ONLINE:
        return RSVP.Attendance.ONLINE
    return attendance if attendance in RSVP.Attendance.values else RSVP.Attendance.IN_PERSON


def send_rsvp(
    *, event: Event, name: str, email: str, attendance: str = "", access_needs=(), access_needs_other: str = "",
    ip_address: str | None = None, language: str | None = None,
) -> RSVP:
    """Store a reply awaiting confirmation by email, with the email queued.

    The page shown is the same whether or not the address had replied before, so it reveals
    nothing: a repeat gets the email it needs now (confirm, or its place and link again), and
    what a stranger types cannot change someone else's reply. Raises NotTakingRSVPs or EventError.
    `language` (default: the active one, the page's) is what the emails are written in; replying
    again in another language switches it, as signing a petition again does.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    check_taking_rsvps(event)
    email_normalised = normalise_email(email)
    if ip_address and counters.hit("events-ip", rate_limit_subject(ip_address), 3600) > settings.EVENTS_LIMIT_PER_IP_PER_HOUR:
        raise EventError(str(RATE_LIMIT_MESSAGE))
    if outbox.over_limit(email_normalised):
        raise EventError(str(ALREADY_EMAILED_MESSAGE))
    details = {
        "name": name.strip(),
        "email": email.strip(),
        "attendance": _attendance_for(event, attendance),
        "access_needs": _clean_needs(access_needs),
        "access_needs_other": access_needs_other.strip(),
        "language": language,
    }
    with transaction.atomic():
        rsvp = RSVP.objects.select_for_update().filter(event=event, email_normalised=email_normalised).first()
        if rsvp is None:
            rsvp = RSVP.objects.create(event=event, email_normalised=email_normalised, **details)
        elif rsvp.status == Status.CANCELLED:
            for field, value in details.items():
                setattr(rsvp, field, value)
            rsvp.status, rsvp.cancelled_at, rsvp.confirmed_at, rsvp.reminder_sent_at = Status.PENDING, None, None, None
            rsvp.created_at = timezone.now()
            rsvp.save()
        elif rsvp.language != language:
            RSVP.objects.filter(pk=rsvp.pk).update(language=language)
            rsvp.language = language
        repeat_kind = {Status.PENDING: emails.CONFIRM_REQUEST, Status.CONFIRMED: emails.CONFIRMED, Status.WAITING: emails.WAITING}
        outbox.enqueue(repeat_kind[rsvp.status], object_id=rsvp.pk, recipient=email_normalised)
    return rsvp


def confirm_rsvp(*, rsvp: RSVP) -> str:
    """Confirm a reply from the emailed link: a place, or the waiting list when the event is full.
    Returns the RSVP's status; a second press changes nothing. Raises NotTakingRSVPs."""
    with transaction.atomic():
        event = _locked(rsvp.event)
        current = RSVP.objects.select_for_update().get(pk=rsvp.pk)
        if current.status != Status.PENDING:
            rsvp.status = current.status
            return current.status
        check_taking_rsvps(event)
        status = Status.CONFIRMED if _has_room_for(event, current.attendance) else Status.WAITING
        now = timezone.now()
        RSVP.objects.filter(pk=rsvp.pk, status=Status.PENDING).update(status=status, confirmed_at=now)
        outbox.enqueue(emails.CONFIRMED if status == Status.CONFIRMED else emails.WAITING, object_id=rsvp.pk, recipient=current.email_normalised)
    rsvp.status, rsvp.confirmed_at = status, now
    return status


def _move_up_waiting(event: Event) -> int:
    """Give free places to the waiting list, first come first served, and email each. Call it
    inside a transaction holding the event's lock."""
    moved = 0
    while event.capacity is None or queries.places_taken(event) < event.capacity:
        nxt = event.rsvps.filter(status=Status.WAITING).order_by("confirmed_at", "pk").first()
        if nxt is None:
            break
        if RSVP.objects.filter(pk=nxt.pk, status=Status.WAITING).update(status=Status.CONFIRMED):
            outbox.enqueue(emails.MOVED_UP, object_id=nxt.pk, recipient=nxt.email_normalised)
            moved += 1
    return moved


def cancel_rsvp(*, rsvp: RSVP) -> bool:
    """The person cancels their reply: a place they held goes to the next on the waiting list.
    False if it was cancelled already, or the event is over."""
    with transaction.atomic():
        event = _locked(rsvp.event)
        current = RSVP.objects.select_for_update().get(pk=rsvp.pk)
        if current.status == Status.CANCELLED or event.is_past():
            return False  # after the event, a reply is part of the attendance count
        RSVP.objects.filter(pk=rsvp.pk).update(status=Status.CANCELLED, cancelled_at=timezone.now())
        for kind in ALL_KINDS:
            outbox.cancel(kind, object_ids=[rsvp.pk])
        if current.status == Status.CONFIRMED and not event.is_past() and event.status == Event.Status.PUBLISHED:
            _move_up_waiting(event)
    rsvp.status = Status.CANCELLED
    return True


def update_rsvp(*, rsvp: RSVP, name: str, attendance: str, access_needs=(), access_needs_other: str = "") -> RSVP:
    """The person changes their reply (how they attend, what they need) from their link."""
    with transaction.atomic():
        event = _locked(rsvp.event)
        current = RSVP.objects.select_for_update().get(pk=rsvp.pk)
        if current.status == Status.CANCELLED:
            raise EventError(gettext("You have cancelled this reply. To come after all, reply again on the event's page."))
        if event.is_past() or event.status == Event.Status.CANCELLED:
            raise EventError(str(PAST_MESSAGE if event.is_past() else CANCELLED_MESSAGE))
        attendance = _attendance_for(event, attendance)
        moving_in = attendance != current.attendance and attendance == RSVP.Attendance.IN_PERSON
        if current.status == Status.CONFIRMED and moving_in and not _has_room_for(event, attendance, leaving=current):
            raise EventError(gettext(
                "There are no places left in the room. You can keep your online place, or cancel and reply "
                "again to join the waiting list."
            ))
        current.name = name.strip() or current.name
        current.attendance = attendance
        current.access_needs = _clean_needs(access_needs)
        current.access_needs_other = access_needs_other.strip()
        if current.status == Status.WAITING and not current.counts_toward_capacity:
            current.status = Status.CONFIRMED  # online places never run out
            outbox.enqueue(emails.MOVED_UP, object_id=current.pk, recipient=current.email_normalised)
        current.save(update_fields=["name", "attendance", "access_needs", "access_needs_other", "status"])
        if event.status == Event.Status.PUBLISHED:
            _move_up_waiting(event)
    return current


# -- organisers ---------------------------------------------------------------------------


def save_event(*, form) -> Event:
    """Create or edit an event. Moving a published event (time, place, link) tells everyone who
    has a place or is waiting, with a new calendar file, and their reminder is sent again for the
    new time; more places move the waiting list up."""
    with transaction.atomic():
        event = form.instance
        before = None
        if event.pk is not None:
            before = Event.objects.select_for_update().get(pk=event.pk)
        moved = before is not None and any(getattr(before, f) != getattr(event, f) for f in MOVING_FIELDS)
        if moved:
            event.sequence = before.sequence + 1
        event = form.save()
        if before is not None and event.status == Event.Status.PUBLISHED:
            if moved:
                told = event.rsvps.filter(status__in=[Status.CONFIRMED, Status.WAITING])
                told.update(reminder_sent_at=None)
                for pk, address in told.values_list("pk", "email_normalised"):
                    if address:
                        outbox.enqueue(emails.CHANGED, object_id=pk, recipient=address)
            if not event.is_past():
                _move_up_waiting(event)
    return event


def publish_event(*, event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise EventError(gettext("A cancelled event cannot be published again. Create a new event instead."))
    if event.online and not event.joining_link:
        raise EventError(gettext("Add the joining link before publishing: the event is online."))
    Event.objects.filter(pk=event.pk, status=Event.Status.DRAFT).update(status=Event.Status.PUBLISHED, updated_at=timezone.now())
    event.status = Event.Status.PUBLISHED


def cancel_event(*, event: Event) -> int:
    """Cancel the event and tell everyone who has a place or is waiting. Returns how many were told."""
    with transaction.atomic():
        event = _locked(event)
        if event.status == Event.Status.CANCELLED:
            return 0
        now = timezone.now()
        Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED, cancelled_at=now, sequence=event.sequence + 1, updated_at=now)
        told = 0
        for pk, address in event.rsvps.filter(status__in=[Status.CONFIRMED, Status.WAITING]).values_list("pk", "email_normalised"):
            for kind in (emails.REMINDER, emails.CHANGED, emails.CONFIRMED, emails.MOVED_UP, emails.WAITING):
                outbox.cancel(kind, object_ids=[pk])
            if address:
                outbox.enqueue(emails.CANCELLED, object_id=pk, recipient=address)
                told += 1
        pending = event.rsvps.filter(status=Status.PENDING)
        outbox.cancel(emails.CONFIRM_REQUEST, object_ids=list(pending.values_list("pk", flat=True)))
    return told


def record_attendee_list_view(*, event: Event, user) -> AttendeeListView:
    return AttendeeListView.objects.create(event=event, user=user, user_label=getattr(user, "email", "") or str(user))


# -- housekeeping -------------------------------------------------------------------------


def queue_event_work(*, now=None) -> dict:
    """Housekeeping (composition/tasks.py run_maintenance): reminders a day before; deleting
    unconfirmed replies, access needs EVENT_ACCESS_NEEDS_RETENTION_DAYS after the event, and
    names and addresses EVENTS_RSVP_RETENTION_DAYS after it. Counts stay (the rows stay)."""
    now = now or timezone.now()
    results = {}
    with transaction.atomic():
        due = RSVP.objects.filter(
            status=Status.CONFIRMED, reminder_sent_at__isnull=True, event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=now, event__starts_at__lte=now + timedelta(hours=settings.EVENTS_REMINDER_HOURS),
        ).exclude(email_normalised="")
        reminders = list(due.values_list("pk", "email_normalised"))
        RSVP.objects.filter(pk__in=[pk for pk, _ in reminders]).update(reminder_sent_at=now)
        for pk, address in reminders:
            outbox.enqueue(emails.REMINDER, object_id=pk, recipient=address)
    results["event_reminders"] = len(reminders)
    results["unconfirmed_rsvps_deleted"], _ = RSVP.objects.filter(status=Status.PENDING).filter(
        Q(created_at__lte=now - timedelta(days=settings.EVENTS_CONFIRMATION_DAYS)) | Q(event__ends_at__lte=now)
    ).delete()
    results["access_needs_deleted"] = delete_old_access_needs(now=now)
    cutoff = now - timedelta(days=settings.EVENTS_RSVP_RETENTION_DAYS)
    results["rsvp_details_erased"] = RSVP.objects.filter(event__ends_at__lte=cutoff, details_erased_at__isnull=True).update(
        name="", email="", email_normalised="", details_erased_at=now
    )
    return results


def delete_old_access_needs(*, now=None) -> int:
    """Access needs are health data: deleted EVENT_ACCESS_NEEDS_RETENTION_DAYS after the event
    ends. The RSVP stays (its status, how they attended), so the attendance count stays."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EVENT_ACCESS_NEEDS_RETENTION_DAYS)
    with transaction.atomic():
        events = list(Event.objects.filter(ends_at__lte=cutoff, access_needs_deleted_at__isnull=True).values_list("pk", flat=True))
        erased = RSVP.objects.filter(event_id__in=events, access_needs_deleted_at__isnull=True).update(
            access_needs=[], access_needs_other="", access_needs_deleted_at=now
        )
        Event.objects.filter(pk__in=events).update(access_needs_deleted_at=now)
    return erased


def _erase(rsvp_ids) -> int:
    return RSVP.objects.filter(pk__in=rsvp_ids).update(
        name="", email="", email_normalised="", access_needs=[], access_needs_other="",
        access_needs_deleted_at=timezone.now(), details_erased_at=timezone.now(),
    )


def delete_rsvp(*, rsvp: RSVP) -> None:
    """From the supporter's own-data page: for an event to come, cancel it (a place goes to the
    next on the waiting list) and delete it; for an event that has happened, delete everything
    about the person and keep only the row the attendance count is made of."""
    if rsvp.event.is_past() and rsvp.status == Status.CONFIRMED:
        with transaction.atomic():
            for kind in ALL_KINDS:
                outbox.cancel(kind, object_ids=[rsvp.pk])
            _erase([rsvp.pk])
        return
    cancel_rsvp(rsvp=rsvp)
    RSVP.objects.filter(pk=rsvp.pk).delete()


def erase_rsvps_of(*, email_normalised: str) -> int:
    if not email_normalised:
        return 0
    mine = list(RSVP.objects.filter(email_normalised=email_normalised).select_related("event"))
    for rsvp in mine:
        delete_rsvp(rsvp=rsvp)
    return len(mine)


# -- the kinds of email events send (core/outbox.py) ----------------------------------------


def _rsvps(ids: list[int]) -> dict:
    return RSVP.objects.select_related("event__campaign__organisation").in_bulk(ids)


def _when(*statuses, event_status=Event.Status.PUBLISHED, upcoming=True):
    def decide(build):
        def built(rsvp: RSVP, row):
            if not rsvp.email or rsvp.status not in statuses or rsvp.event.status != event_status:
                return None
            if upcoming and rsvp.event.is_past():
                return None
            return build(rsvp)
        return built
    return decide


def _language(rsvp: RSVP, row) -> str:
    """Each RSVP's emails are in the language they replied in (RSVP.language)."""
    return rsvp.language


for _kind in (
    # The person has just asked for it; a stranger could type their address, so it is limited.
    outbox.EmailKind(name=emails.CONFIRM_REQUEST, load=_rsvps, build=_when(Status.PENDING)(emails.build_confirm_request), transactional=True, limited=True, language=_language),
    outbox.EmailKind(name=emails.CONFIRMED, load=_rsvps, build=_when(Status.CONFIRMED)(emails.build_confirmed), transactional=True, language=_language),
    outbox.EmailKind(name=emails.WAITING, load=_rsvps, build=_when(Status.WAITING)(emails.build_waiting), transactional=True, language=_language),
    outbox.EmailKind(name=emails.MOVED_UP, load=_rsvps, build=_when(Status.CONFIRMED)(emails.build_moved_up), transactional=True, language=_language),
    outbox.EmailKind(name=emails.REMINDER, load=_rsvps, build=_when(Status.CONFIRMED)(emails.build_reminder), transactional=True, language=_language),
    outbox.EmailKind(name=emails.CHANGED, load=_rsvps, build=_when(Status.CONFIRMED, Status.WAITING)(emails.build_changed), transactional=True, language=_language),
    outbox.EmailKind(
        name=emails.CANCELLED, load=_rsvps,
        build=_when(Status.CONFIRMED, Status.WAITING, event_status=Event.Status.CANCELLED, upcoming=False)(emails.build_cancelled),
        transactional=True, language=_language,
    ),
):
    outbox.register(_kind)


# A supporter's replies on their own-data pages, downloaded and erased with everything else.
personal_data.register(
    personal_data.Source(
        name="rsvps", held_about=queries.rsvps_held_about, erase=lambda email: erase_rsvps_of(email_normalised=email),
        holders=queries.addresses_with_rsvps,
    )
)
