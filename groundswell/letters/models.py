"""Letters from supporters to their MP or to a named institution (a ledger Target).

A `LetterAction` is what an organiser sets up in a campaign. A `Contact` is one recipient as the
letters app sees it (an MP by their Parliament id, or a ledger Target): it holds the address
letters went to, whether mail to it has bounced, and is what the public responsiveness figures
are about. A `Letter` is one supporter's letter. Its words, and the supporter's name, email and
postcode, are deleted LETTERS_TEXT_RETENTION_DAYS after it is sent; the row stays, with the
follow-up answer, so the figures remain (docs/privacy.md).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils import timezone

from groundswell.campaigns.models import Campaign
from groundswell.core.slugs import slug_not_empty
from groundswell.ledger.models import Target


class LetterAction(models.Model):
    class RecipientKind(models.TextChoices):
        MP = "mp", _("The supporter's MP (found from their postcode)")
        TARGET = "target", _("A named institution from the accountability ledger")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="letter_actions")
    slug = models.SlugField(max_length=80, unique=True, help_text=_("Used in the web address: letters, numbers and hyphens."))
    title = models.CharField(max_length=150, help_text=_("E.g. “Write to your MP about crisis care”."))
    recipient_kind = models.CharField(_("Who the letters go to"), max_length=10, choices=RecipientKind.choices, default=RecipientKind.MP)
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, null=True, blank=True, related_name="letter_actions",
        help_text=_("For letters to an institution: a ledger target with a contact email."),
    )
    subject = models.CharField(max_length=150, help_text=_("The suggested subject line; supporters can change it."))
    suggested_text = models.TextField(
        max_length=5000, help_text=_("The suggested letter (the points to make). Supporters can change all of it.")
    )
    guidance = models.TextField(max_length=3000, blank=True, help_text=_("Advice shown beside the form: what makes a letter count."))
    title_cy = models.CharField(_("Title in Welsh"), max_length=150, blank=True)
    guidance_cy = models.TextField(_("Advice in Welsh"), max_length=3000, blank=True)
    is_open = models.BooleanField(_("Open for letters"), default=True, help_text=_("Untick to stop new letters."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [slug_not_empty("letter_action_slug_not_empty")]

    def __str__(self):
        return self.title

    @property
    def to_mp(self) -> bool:
        return self.recipient_kind == self.RecipientKind.MP


class Contact(models.Model):
    """A recipient of letters: one row per MP or ledger Target, made when the first letter is written."""

    key = models.CharField(max_length=60, unique=True, help_text=_("mp:<Parliament id> or target:<ledger id>."))
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    target = models.ForeignKey(Target, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    constituency_name = models.CharField(max_length=200, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True, help_text=_("When mail to this address last bounced."))
    bounced_address = models.EmailField(blank=True, help_text=_("The address that bounced."))
    bounce_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.name

    @property
    def needs_attention(self) -> bool:
        """Organisers see this flag: the last letter bounced and the address has not changed since."""
        return self.bounced_at is not None and self.bounced_address == self.email


class Digest(models.Model):
    """One daily email to a contact bundling near-identical letters ("N constituents wrote this")."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="digests")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    letter_count = models.PositiveIntegerField(default=0)
    bounced_at = models.DateTimeField(null=True, blank=True)


class Letter(models.Model):
    class Answer(models.TextChoices):
        REPLIED = "replied", _("Yes, a reply that answered my letter")
        FORM_REPLY = "form_reply", _("Yes, but only an acknowledgement or a standard reply")
        NO_REPLY = "no_reply", _("No, no reply yet")

    RESPONDED = (Answer.REPLIED, Answer.FORM_REPLY)

    action = models.ForeignKey(LetterAction, on_delete=models.CASCADE, related_name="letters")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="letters")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # What is deleted LETTERS_TEXT_RETENTION_DAYS after sending (or with an unconfirmed letter).
    supporter_name = models.CharField(max_length=100, blank=True)
    supporter_email = models.EmailField(max_length=254, blank=True)
    supporter_email_normalised = models.CharField(max_length=254, blank=True, db_index=True, help_text=_("For a supporter's own data."))
    postcode = models.CharField(max_length=8, blank=True)
    subject = models.CharField(max_length=150, blank=True)
    body = models.TextField(max_length=10000, blank=True)
    personal = models.TextField(max_length=5000, blank=True)
    # What stays.
    constituency_code = models.CharField(max_length=9, blank=True)
    fingerprint = models.JSONField(default=list, blank=True, help_text=_("MinHash of the words' 5-shingles."))
    is_bundled = models.BooleanField(default=False, help_text=_("Near-identical to other letters: goes in the daily digest."))
    # The language the supporter used (the page's, /cy/ or not): their emails are written in it.
    language = models.CharField(max_length=16, blank=True, default="", help_text=_("The language the page was in: emails about it use it."))
    created_at = models.DateTimeField(default=timezone.now)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    digest = models.ForeignKey(Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="letters")
    bounced_at = models.DateTimeField(null=True, blank=True)
    followup_sent_at = models.DateTimeField(null=True, blank=True)
    followup_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    text_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["contact", "confirmed_at"], name="letters_by_contact"),
            models.Index(fields=["created_at"], condition=models.Q(confirmed_at__isnull=True), name="letters_unconfirmed"),
            models.Index(fields=["sent_at"], condition=models.Q(text_deleted_at__isnull=True), name="letters_text_kept"),
        ]

    def __str__(self):
        return f"Letter {self.public_id}"
