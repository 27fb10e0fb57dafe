"""Events (listening events, meetings) and the RSVPs people send without an account.

An `Event` belongs to a campaign; it may be held in person, online or both, and may be linked to a
ledger target and commitment when it is an institution's promised event (the trust's listening
event), so the ledger can show the promise kept. An `RSVP` is one person's reply: their name and
email (kept as supporters' emails are everywhere: as typed, for sending, and normalised, for their
own-data page), how they will attend, and what they need to be able to come. Access needs are
health data: housekeeping deletes them EVENT_ACCESS_NEEDS_RETENTION_DAYS after the event ends and
marks the row (`access_needs_deleted_at`); the row itself stays, so the attendance count stays.
"""

import uuid
import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Campaign
from groundswell.ledger.models import Commitment, Target

DEFAULT_TIME_ZONE = "Europe/London"
DESCRIPTION_MAX_LENGTH = 10_000


@cache
def time_zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(_("Choose a time zone from the list, such as Europe/London."), code="time_zone")


def validate_https(value: str) -> None:
    if value and not value.lower().startswith("https://"):
        raise ValidationError(
            _("The joining link must start with https:// (a secure link), like https://meet.example.org/abc-defg."),
            code="https",
        )


class Event(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        BOTH = "both", _("In person and online")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not shown publicly)")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="events")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("Title"), max_length=200)
    description = models.TextField(
        _("Description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True,
        help_text=_("What the event is for and what will happen. Blank lines start new paragraphs."),
    )
    # Welsh beside the English (docs/architecture.md, "Languages"): pages show it under /cy/ and
    # fall back to the English, its lang marked, when it is blank.
    title_cy = models.CharField(_("Welsh title"), max_length=200, blank=True)
    description_cy = models.TextField(_("Welsh description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    starts_at = models.DateTimeField(_("Starts"))
    ends_at = models.DateTimeField(_("Ends"))
    time_zone = models.CharField(_("Time zone"), max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone])
    mode = models.CharField(_("How people take part"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    venue = models.CharField(_("Venue"), max_length=200, blank=True, help_text=_("The name of the place, e.g. “Guildford Library”."))
    address = models.TextField(_("Address"), max_length=1000, blank=True)
    # The venue's accessibility in plain words: what someone needs to know before they decide.
    step_free_access = models.CharField(
        _("Step-free access"), max_length=500, blank=True,
        help_text=_("E.g. “Level entrance from the car park; lift to the first floor.”"),
    )
    toilets = models.CharField(_("Toilets"), max_length=500, blank=True, help_text=_("E.g. “Accessible toilet on the ground floor.”"))
    hearing_loop = models.CharField(_("Hearing loop"), max_length=500, blank=True, help_text=_("E.g. “Induction loop in the main hall.”"))
    seating = models.CharField(_("Seating"), max_length=500, blank=True, help_text=_("E.g. “Chairs with arms; space for wheelchairs at the front.”"))
    quiet_space = models.CharField(_("Quiet space"), max_length=500, blank=True, help_text=_("E.g. “A quiet room next to the hall, open throughout.”"))
    joining_link = models.URLField(
        _("Joining link"), max_length=500, blank=True, validators=[validate_https],
        help_text=_("For online events. Shown only to people whose place is confirmed, and sent in their confirmation and reminder."),
    )
    capacity = models.PositiveIntegerField(
        _("Places"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Leave blank for no limit. When it is full, people join a waiting list. For events in person and online, it counts places in the room."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    target = models.ForeignKey(
        Target, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
        verbose_name=_("Held by (ledger target)"),
        help_text=_("When the event is an institution's, e.g. a trust's promised listening event."),
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
        verbose_name=_("Keeps the promise (ledger commitment)"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="Goes up each time the time or place changes (calendar files' SEQUENCE).")
    access_needs_deleted_at = models.DateTimeField(null=True, blank=True, help_text="When housekeeping deleted its RSVPs' access needs.")

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_it_starts"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="event_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.mode in (self.Mode.ONLINE, self.Mode.BOTH) and not self.joining_link and self.status == self.Status.PUBLISHED:
            errors["joining_link"] = _("Add the joining link: the event is online.")
        if self.commitment_id and self.target_id and self.commitment.response.ask.target_id != self.target_id:
            errors["commitment"] = _("Choose a commitment made by the target you chose.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)

    @property
    def in_person(self) -> bool:
        return self.mode in (self.Mode.IN_PERSON, self.Mode.BOTH)

    @property
    def online(self) -> bool:
        return self.mode in (self.Mode.ONLINE, self.Mode.BOTH)

    def is_past(self, now=None) -> bool:
        return self.ends_at <= (now or timezone.now())

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def accepts_rsvps(self, now=None) -> bool:
        return self.status == self.Status.PUBLISHED and not self.has_started(now)

    @property
    def accessibility(self) -> list[tuple[str, str]]:
        """The venue's accessibility, as (label, words) for what the organisers wrote."""
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in ("step_free_access", "toilets", "hearing_loop", "seating", "quiet_space")
            if getattr(self, name)
        ]


class AccessNeed(models.TextChoices):
    """The common needs an RSVP can tick; anything else goes in the free-text box."""

    STEP_FREE = "step_free", _("Step-free access (for a wheelchair or walking aid)")
    BSL = "bsl", _("A British Sign Language (BSL) interpreter")
    CAPTIONS = "captions", _("Live captions")
    HEARING_LOOP = "hearing_loop", _("A hearing loop")
    QUIET_ROOM = "quiet_room", _("A quiet room or space to take a break")
    COMPANION = "companion", _("Bringing someone with me (a companion, carer or personal assistant)")
    SEATING = "seating", _("A seat near the door, or chances to sit or stand")
    MATERIALS = "materials", _("Materials in advance, in large print or easy read")


class RSVP(models.Model):
    class Attendance(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for you to confirm your email")
        CONFIRMED = "confirmed", _("Place confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    email_normalised = models.CharField(max_length=254, blank=True, db_index=True, help_text="For a supporter's own data.")
    attendance = models.CharField(max_length=10, choices=Attendance.choices, default=Attendance.IN_PERSON)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    access_needs = models.JSONField(default=list, blank=True, help_text="AccessNeed values.")
    access_needs_other = models.TextField(max_length=1000, blank=True)
    access_needs_deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="When they confirmed their email (a place or the waiting list).")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    details_erased_at = models.DateTimeField(null=True, blank=True, help_text="When the name and email were deleted.")
    # The language the page was in when they replied (/cy/ or not): their emails are written in it.
    language = models.CharField(max_length=16, blank=True, default="", help_text=_("The language the page was in: emails about it use it."))

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email_normalised"], condition=~Q(email_normalised=""), name="one_rsvp_per_person_per_event"
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="rsvps_by_event_status")]

    def __str__(self):
        return f"RSVP {self.public_id}"

    @property
    def access_need_labels(self) -> list[str]:
        known = dict(AccessNeed.choices)
        return [str(known[value]) for value in self.access_needs if value in known]

    @property
    def counts_toward_capacity(self) -> bool:
        return self.event.mode != Event.Mode.BOTH or self.attendance == self.Attendance.IN_PERSON


class AttendeeListView(models.Model):
    """Each time an organiser opened an event's attendees with their access needs: who and when."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendee_list_views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    user_label = models.CharField(max_length=254, help_text="The organiser's email, kept if the account is deleted.")
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-viewed_at"]
