"""Parsing and validating what organisers and supporters type about events. No writes here."""

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.core.widgets import LongSelect
from groundswell.events.models import DESCRIPTION_MAX_LENGTH, RSVP, AccessNeed, Event, time_zone_names, validate_https
from groundswell.ledger.models import Commitment, Target
from groundswell.supporters.forms import supporter_email_field

ACCESS_NEEDS_PROMISE = _(
    "We use this only to make the event work for you, share it only with the organisers and the venue, "
    "and delete it %(days)s days after the event."
)


class EventForm(forms.ModelForm):
    starts_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date of the event."), "invalid": _("Enter a real date, like 28/03/2027.")},
    )
    starts_time = forms.TimeField(
        label=_("Start time"), help_text=_("In the event's time zone, 24-hour clock, e.g. 18:30."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter the time the event starts."), "invalid": _("Enter a time, like 18:30.")},
    )
    ends_on = forms.DateField(
        label=_("End date"), required=False, help_text=_("Leave blank if it ends on the same day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), error_messages={"invalid": _("Enter a real date, like 28/03/2027.")},
    )
    ends_time = forms.TimeField(
        label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter the time the event ends."), "invalid": _("Enter a time, like 20:00.")},
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), widget=LongSelect, help_text=_("Most UK events: Europe/London (it follows British Summer Time)."))
    description = forms.CharField(
        label=_("Description"), required=False, max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the event is for and what will happen. Blank lines start new paragraphs."),
        error_messages={"max_length": _("The description is too long: keep it to 10,000 characters or fewer (it has %(show_value)d).")},
    )
    capacity = forms.IntegerField(
        label=_("Places"), required=False, min_value=1, max_value=100_000,
        help_text=_("Leave blank for no limit. When it is full, people join a waiting list. For events in person and online, it counts places in the room."),
        error_messages={
            "min_value": _("Enter at least 1 place, or leave it blank for no limit."),
            "max_value": _("Enter at most 100,000 places, or leave it blank for no limit."),
            "invalid": _("Enter the number of places as a whole number, like 40, or leave it blank."),
        },
    )
    joining_link = forms.URLField(
        label=_("Joining link"), required=False, max_length=500, assume_scheme="https", validators=[validate_https],
        help_text=_("For online events: the whole link, starting with https://. Shown only to people whose place is confirmed."),
        error_messages={"invalid": _("Enter the whole joining link, starting with https://, like https://meet.example.org/abc-defg.")},
    )

    class Meta:
        model = Event
        fields = [
            "campaign", "title", "description", "title_cy", "description_cy", "time_zone", "mode", "venue", "address",
            "step_free_access", "toilets", "hearing_loop", "seating", "quiet_space",
            "joining_link", "capacity", "target", "commitment",
        ]
        widgets = {
            "mode": forms.RadioSelect, "address": forms.Textarea(attrs={"rows": 3}),
            "title_cy": forms.TextInput(attrs={"lang": "cy"}), "description_cy": forms.Textarea(attrs={"rows": 8, "lang": "cy"}),
        }
        help_texts = {
            "title_cy": _("Welsh pages show the Welsh; without it they show the English."),
            "description_cy": _("Welsh pages show the Welsh; without it they show the English."),
        }
        error_messages = {
            "title": {"required": _("Enter a title for the event.")},
            "title_cy": {"max_length": _("The Welsh title is too long: keep it to 200 characters or fewer (it has %(show_value)d).")},
            "description_cy": {
                "max_length": _("The Welsh description is too long: keep it to 10,000 characters or fewer (it has %(show_value)d).")
            },
        }

    field_order = [
        "campaign", "title", "description", "title_cy", "description_cy", "starts_on", "starts_time", "ends_on", "ends_time", "time_zone", "mode",
        "venue", "address", "step_free_access", "toilets", "hearing_loop", "seating", "quiet_space",
        "joining_link", "capacity", "target", "commitment",
    ]

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].empty_label = None
        self.fields["time_zone"].choices = [(name, name) for name in time_zone_names()]
        self.fields["time_zone"].initial = self.instance.time_zone or "Europe/London"
        organisations = campaigns.values("organisation")
        self.fields["target"].queryset = Target.objects.filter(organisation__in=organisations)
        self.fields["commitment"].queryset = Commitment.objects.filter(response__ask__target__organisation__in=organisations).select_related("response__ask__target")
        self.fields["commitment"].label_from_instance = lambda c: f"{c.response.ask.target.name}: {c.promise}"[:150]
        self.fields["commitment"].help_text = _("The promise this event keeps, so the ledger shows it.")
        if self.instance.pk:
            start, end = self.instance.local_start, self.instance.local_end
            self.initial.update(
                starts_on=start.date(), starts_time=start.time().replace(second=0, microsecond=0),
                ends_on=end.date() if end.date() != start.date() else None, ends_time=end.time().replace(second=0, microsecond=0),
            )

    def clean(self):
        cleaned = super().clean()
        zone_name, starts_on, starts_time, ends_time = (cleaned.get(k) for k in ("time_zone", "starts_on", "starts_time", "ends_time"))
        if zone_name and starts_on and starts_time and ends_time:
            zone = Event(time_zone=zone_name).zone
            start = datetime.combine(starts_on, starts_time, tzinfo=zone)
            end = datetime.combine(cleaned.get("ends_on") or starts_on, ends_time, tzinfo=zone)
            if end <= start:
                self.add_error("ends_time", _("The event must end after it starts: check the end date and time."))
            else:
                self.instance.starts_at, self.instance.ends_at = start, end
        mode = cleaned.get("mode")
        if mode in (Event.Mode.IN_PERSON, Event.Mode.BOTH) and not cleaned.get("venue"):
            self.add_error("venue", _("Enter the venue: the event is in person."))
        target, commitment = cleaned.get("target"), cleaned.get("commitment")
        if commitment is not None:
            if target is None:
                cleaned["target"] = commitment.response.ask.target
            elif commitment.response.ask.target_id != target.pk:
                self.add_error("commitment", _("Choose a commitment made by the target you chose."))
        return cleaned


class RSVPForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name, so the organisers know who is coming.")},
    )
    email = supporter_email_field(help_text=_("We email you a link to confirm, then the details and a calendar file."))
    attendance = forms.ChoiceField(
        label=_("How will you take part?"), choices=RSVP.Attendance.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you will come in person or join online.")},
    )
    access_needs = forms.MultipleChoiceField(
        label=_("Is there anything you need to be able to take part? (optional)"), required=False,
        choices=AccessNeed.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the list, or describe what you need in the box below.")},
    )
    access_needs_other = forms.CharField(
        label=_("Anything else you need"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “I will bring my assistance dog”, or “I need to leave early”."),
        error_messages={"max_length": _("Keep it to 1,000 characters or fewer (it has %(show_value)d).")},
    )

    def __init__(self, *args, event: Event, retention_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["access_needs"].help_text = ACCESS_NEEDS_PROMISE % {"days": retention_days}
        if event.mode != Event.Mode.BOTH:
            del self.fields["attendance"]


class ManageRSVPForm(RSVPForm):
    """Changing a reply from its emailed link: everything but the address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["email"]
