"""Supporter updates: the consent to hear from an organisation, the updates organisers write, and
one delivery row per person an update goes to.

`Consent` is the record a supporter's "email me news" answer becomes (one current row per person
per organisation, found by normalised email): the exact words, by reference to the shared
`ConsentStatement`, when and from what it was given, and when and how it was withdrawn. A
withdrawn row is kept (the record of the withdrawal); agreeing again makes a new row.

`Delivery` is one person's copy of one update: the unique (update, email_normalised) constraint
makes it one copy per person however many petitions they signed. Its id is the outbox row's
object id (core/outbox.py), so the outbox is the cursor of sending: nothing else remembers where
a send had got to, and a worker that dies leaves the rest queued.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.accounts.models import Organisation
from groundswell.campaigns.models import Campaign
from groundswell.supporters.models import ConsentStatement


class UpdatesSettings(models.Model):
    """An organisation's own choices for its updates (owners edit them)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="updates_settings")
    reply_to = models.EmailField(
        _("Reply address"), blank=True,
        help_text=_("Replies to your updates go here. Leave it empty and replies go to the site's own address."),
    )
    require_approval = models.BooleanField(
        _("A second organiser must approve each update before it is sent"), default=False,
    )

    def __str__(self):
        return f"Update settings of {self.organisation}"


class Consent(models.Model):
    class Source(models.TextChoices):
        SIGNATURE = "signature", _("Signing a petition")
        LETTER = "letter", _("Writing a letter")
        EVENT = "event", _("Signing up to an event")
        DEMO = "demo", _("Demonstration data")

    class Withdrawal(models.TextChoices):
        ONE_CLICK = "one_click", _("The unsubscribe button of their email program")
        UNSUBSCRIBE_PAGE = "unsubscribe_page", _("The unsubscribe link in an update")
        OWN_DATA_PAGE = "own_data_page", _("Their own data page")
        COMPLAINT = "complaint", _("Reporting an update as spam")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    email_normalised = models.CharField(max_length=254)
    # The latest details the person gave this organisation (a later signature updates them).
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=100, blank=True)
    constituency_code = models.CharField(max_length=9, blank=True)
    statement = models.ForeignKey(ConsentStatement, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=12, choices=Source.choices)
    given_for_campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_how = models.CharField(max_length=20, choices=Withdrawal.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email_normalised"], condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_updates_consent_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["email_normalised"], name="updates_consent_by_email"),
            models.Index(fields=["organisation", "id"], condition=models.Q(withdrawn_at__isnull=True), name="updates_consent_current"),
        ]

    def __str__(self):
        return f"Updates consent {self.public_id}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None

    @property
    def first_name(self) -> str:
        parts = self.name.split()
        return parts[0] if parts else ""


class CampaignOptOut(models.Model):
    """"Not this campaign": the person still hears from the organisation, but not about this one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    email_normalised = models.CharField(max_length=254)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email_normalised"], name="one_opt_out_per_person_per_campaign"),
        ]


class Update(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Waiting for a second organiser's approval")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    class Nation(models.TextChoices):
        ENGLAND = "England", _("England")
        SCOTLAND = "Scotland", _("Scotland")
        WALES = "Wales", _("Wales")
        NORTHERN_IRELAND = "Northern Ireland", _("Northern Ireland")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The campaign it is about: only its supporters get it, and "not this campaign" leaves it.
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The audience: every current consent of the organisation, narrowed by each of these that is set.
    audience_petition = models.ForeignKey("petitions.Petition", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    audience_nation = models.CharField(max_length=20, choices=Nation.choices, blank=True)
    audience_constituency = models.CharField(max_length=9, blank=True)
    audience_mp_not_replied = models.BooleanField(default=False)

    subject = models.CharField(max_length=150, blank=True)
    body_markdown = models.TextField(blank=True)
    # "petition:12", "letters:3" (updates/calls_to_action.py), or empty.
    call_to_action = models.CharField(max_length=40, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Sending: the cursor (the last consent id written to the outbox) makes queueing resumable;
    # figures that no delivery row holds.
    sending_started_at = models.DateTimeField(null=True, blank=True)
    queued_through_consent = models.BigIntegerField(default=0)
    queued_count = models.PositiveIntegerField(default=0)
    skipped_for_cap = models.PositiveIntegerField(default=0)
    queueing_finished_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject or f"Update {self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.AWAITING_APPROVAL)


class Delivery(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        BOUNCED = "bounced", _("Bounced")
        SUPPRESSED = "suppressed", _("Not sent: the address had bounced or complained before")
        CANCELLED = "cancelled", _("Not sent: they unsubscribed first")

    id = models.BigAutoField(primary_key=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="deliveries")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="deliveries")
    email_normalised = models.CharField(max_length=254)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    complained_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["update", "email_normalised"], name="one_copy_of_an_update_per_person"),
        ]
        indexes = [
            models.Index(fields=["organisation", "email_normalised", "created_at"], name="updates_delivery_recent"),
            models.Index(fields=["update", "state"], name="updates_delivery_state"),
            models.Index(fields=["email_normalised"], name="updates_delivery_by_email"),
        ]

    def __str__(self):
        return f"Delivery {self.pk} of update {self.update_id}"
