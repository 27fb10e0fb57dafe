"""The one outgoing-mail pipeline's tables (core/outbox.py): the outbox and the suppression list.

Neither holds an email address or a message: an outbox row names what the email is about (a
kind and an object id) and whom it is for only as a keyed hash, so that limits and the
suppression list work without another copy of anyone's address. The message is built when it
is sent, from the data as it is then (a signature confirmed meanwhile gets "you have already
signed"; a letter deleted meanwhile is not sent at all).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Refused for good")
        CANCELLED = "cancelled", _("No longer needed")
        SUPPRESSED = "suppressed", _("Not sent: the address is on the suppression list")

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    params = models.JSONField(default=dict, blank=True)
    # HMAC of the lower-cased address (core/outbox.py recipient_hash): for the per-address limit
    # and the suppression list. Never the address itself.
    recipient_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the mail server said last (an SMTP code and reply, or an exception's name): no address.
    last_error = models.CharField(max_length=300, blank=True, default="")
    bounced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(state="queued"), name="outgoing_email_due"),
            models.Index(fields=["recipient_hash", "created_at"], name="outgoing_email_recipient"),
            models.Index(fields=["kind", "object_id"], name="outgoing_email_subject"),
        ]
        constraints = [
            # One queued email per subject at a time: asking again while it waits sends it once.
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient_hash"],
                condition=models.Q(state="queued"),
                name="outgoing_email_one_queued_per_subject",
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id} ({self.state})"


class SuppressedAddress(models.Model):
    """An address that bounced hard or complained: not mailed again, except for mail the person
    has just asked for themselves (a confirmation link, their data link, a password reset)."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", _("Bounced for good")
        REFUSED = "refused", _("Refused for good by the mail server")
        COMPLAINED = "complained", _("Reported as spam")

    recipient_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    kind = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.recipient_hash[:12]}… ({self.reason})"


class InboundEmail(models.Model):
    """Mail that came in (`groundswell mail receive`) and that no handler could take: not addressed
    to a known reply address, forged, or not readable as MIME. Kept whole, so nothing a mail
    server hands us is ever lost; staff read it in the admin and pass it on by hand."""

    class Reason(models.TextChoices):
        UNMATCHED = "unmatched", "No reply address matched"
        MALFORMED = "malformed", "Not a readable email"
        FAILED = "failed", "The handler failed on it"

    received_at = models.DateTimeField(default=timezone.now)
    recipient = models.CharField(max_length=400, blank=True)
    sender = models.CharField(max_length=400, blank=True)
    subject = models.CharField(max_length=400, blank=True)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    detail = models.CharField(max_length=300, blank=True)
    raw = models.BinaryField()
    handled = models.BooleanField(default=False, help_text="Tick once someone has dealt with it.")

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.subject[:60]} ({self.received_at:%d %b %Y})"
