"""The accountability ledger: who was asked what, what they answered, what they promised.

Silence is never stored: "no response" is an ask with no response, counted in days from the ask.
"Overdue" is never stored either: it is a pending commitment whose due date has passed. Both are
derived when read, so they cannot go stale. Every change to these records is kept
(django-simple-history), with who made it, so the public record can be trusted.
"""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from groundswell.accounts.models import Organisation
from groundswell.campaigns.models import Campaign


def document_path(instance, filename: str) -> str:
    """Uploaded documents get a random name: the original name may hold personal details, and a
    guessable path should never matter (documents are served only through a checking view)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"ledger/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    PETITION = "petition", _("Petition")
    MEETING = "meeting", _("Meeting")
    PUBLIC_STATEMENT = "public_statement", _("Public statement or press report")
    SOCIAL_MEDIA = "social_media", _("Social media")
    OTHER = "other", _("Other")


class Target(models.Model):
    """An institution or person a campaign asks something of. Belongs to one organisation."""

    class Kind(models.TextChoices):
        NHS_BODY = "nhs_body", _("NHS body")
        POLICE_FORCE = "police_force", _("Police force")
        MP = "mp", _("MP")
        GOVERNMENT_DEPARTMENT = "government_department", _("Government department")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="ledger_targets")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    reference_code = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("An official code if there is one: NHS ODS code (e.g. RXX), police force area code "
        "(e.g. E23000031) or ONS constituency code."),
    )
    contact_email = models.EmailField(blank=True, help_text=_("Where letters to this target go. Not shown publicly."))
    nation = models.CharField(
        max_length=3, choices=[("ENG", _("England")), ("WLS", _("Wales")), ("SCT", _("Scotland")), ("NIR", _("Northern Ireland"))],
        default="ENG", help_text=_("Whose bank holidays count for its deadlines, and which freedom of information law applies."),
    )
    region = models.CharField(max_length=60, blank=True, help_text=_("A region, for choosing several targets at once (e.g. an NHS England region)."))
    is_public = models.BooleanField(_("Show publicly"), default=True, help_text=_("Show this target and its record on public campaign pages."))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="ledger_target_name_unique_per_organisation")
        ]

    def __str__(self):
        return self.name


class AskBatch(models.Model):
    """One ask sent to many targets at once: each target gets its own Ask (its own thread)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ledger_batches")
    subject = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class TargetGroup(models.Model):
    """A saved list of targets to ask together ("every police force we work with")."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="ledger_target_groups")
    name = models.CharField(max_length=100)
    targets = models.ManyToManyField(Target, related_name="groups")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="ledger_group_name_unique_per_organisation")]

    def __str__(self):
        return self.name


class ChaseSettings(models.Model):
    """How a campaign's asks sent from the platform are chased (defaults in settings.py)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="ledger_chase_settings")
    enabled = models.BooleanField(_("Send chasers"), default=True)
    campaign_ask_days = models.PositiveSmallIntegerField(
        _("Working days before chasing a campaign ask"), default=10,
        help_text=_("For campaign asks and complaints without a deadline; legal asks are chased after their due date."),
    )
    interval_days = models.PositiveSmallIntegerField(_("Days between chasers"), default=7)
    max_chasers = models.PositiveSmallIntegerField(_("Chasers at most"), default=3)


class Ask(models.Model):
    """What a campaign asked a target, when and how, with the words or a document."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("Campaign ask")
        FOI = "foi", _("Freedom of information request")
        COMPLAINT = "complaint", _("Formal complaint")
        SAR = "sar", _("Subject access request")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ledger_asks")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="asks")
    asked_on = models.DateField(_("Date asked"), default=timezone.localdate)
    channel = models.CharField(_("How it was asked"), max_length=30, choices=Channel.choices, default=Channel.LETTER)
    text = models.TextField(_("What was asked"), blank=True, help_text=_("The words of the ask, or a summary."))
    text_cy = models.TextField(_("What was asked, in Welsh"), blank=True)
    document = models.FileField(upload_to=document_path, blank=True, max_length=200)
    source_url = models.URLField(_("Source link"), blank=True, max_length=500, help_text=_("A public link to the ask, if there is one."))
    kind = models.CharField(_("Kind of ask"), max_length=12, choices=Kind.choices, default=Kind.CAMPAIGN)
    deadline_on = models.DateField(_("Answer wanted by"), null=True, blank=True)
    due_on = models.DateField(_("Answer due"), null=True, blank=True, help_text=_("Counted by the legal clock (ledger/clock.py) when sent."))
    # Sent from the platform: the email, its private answer link and its reply address.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    batch = models.ForeignKey(AskBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="asks")
    subject = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["asked_on", "pk"]

    def __str__(self):
        return f"Ask to {self.target} on {self.asked_on:%d %b %Y}"


class Response(models.Model):
    """What a target answered, when, how, and how we classify it, with its source."""

    class Classification(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        COMMITTED = "committed", _("Committed")
        PARTLY_COMMITTED = "partly_committed", _("Partly committed")
        REFUSED = "refused", _("Refused")

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="responses")
    received_on = models.DateField(_("Date of the response"), default=timezone.localdate)
    channel = models.CharField(_("How they responded"), max_length=30, choices=Channel.choices, default=Channel.LETTER)
    summary = models.TextField(help_text=_("What they said, fairly summarised."))
    summary_cy = models.TextField(_("Summary in Welsh"), blank=True)
    classification = models.CharField(max_length=20, choices=Classification.choices)
    source_url = models.URLField(_("Source link"), blank=True, max_length=500)
    document = models.FileField(upload_to=document_path, blank=True, max_length=200)
    # Set when the institution sent this answer itself (its link or a reply email); the original
    # is kept there and shown beside the organisers' summary.
    from_institution = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self):
        return f"{self.get_classification_display()} by {self.ask.target} on {self.received_on:%d %b %Y}"


class Commitment(models.Model):
    """Something a target promised in a response, by when, and whether it was kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="commitments")
    promise = models.TextField(_("What was promised"))
    promise_cy = models.TextField(_("What was promised, in Welsh"), blank=True)
    due_on = models.DateField(_("Due by"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    evidence = models.TextField(blank=True, help_text=_("How we know it was kept or broken."))
    evidence_url = models.URLField(_("Evidence link"), blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.promise[:80]

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.PENDING and self.due_on is not None and self.due_on < today

    def public_status(self, today: date | None = None) -> str:
        """pending, kept, broken, or overdue (pending past its due date)."""
        return "overdue" if self.is_overdue(today) else self.status


class Reminder(models.Model):
    """A record that organisers were (or are about to be) told about an overdue commitment or a
    silent target, so the same reminder is never sent twice.

    A row is created once per subject (the unique constraints); the digest task claims unsent rows
    by writing its batch id, sends, then stamps sent_at. If sending fails the claim is released
    and the next housekeeping run tries again.
    """

    class Kind(models.TextChoices):
        OVERDUE_COMMITMENT = "overdue_commitment", _("Commitment overdue")
        SILENT_TARGET = "silent_target", _("No response")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="ledger_reminders")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    commitment = models.ForeignKey(Commitment, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    ask = models.ForeignKey(Ask, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    batch = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "commitment"], name="ledger_one_reminder_per_commitment"),
            models.UniqueConstraint(fields=["kind", "ask"], name="ledger_one_reminder_per_ask"),
            models.CheckConstraint(
                condition=(models.Q(kind="overdue_commitment", commitment__isnull=False, ask__isnull=True)
                           | models.Q(kind="silent_target", ask__isnull=False, commitment__isnull=True)),
                name="ledger_reminder_has_its_subject",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "sent_at", "batch"])]


class FollowUp(models.Model):
    """A chaser or an internal-review request the platform sent about an ask (on its timeline)."""

    class Kind(models.TextChoices):
        CHASER = "chaser", _("Chaser")
        INTERNAL_REVIEW = "internal_review", _("Internal review requested")

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(default=1)
    sent_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["sent_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["ask", "kind", "number"], name="ledger_one_follow_up_per_number")]


class InstitutionReply(models.Model):
    """What an institution sent us itself, through its private link or by replying to the ask's
    email. Always a draft: only an organiser can classify it and publish it (as a Response)."""

    class Via(models.TextChoices):
        LINK = "link", _("The private answer link")
        EMAIL = "email", _("A reply email")

    class State(models.TextChoices):
        DRAFT = "draft", _("Waiting for an organiser")
        PUBLISHED = "published", _("Published")
        SET_ASIDE = "set_aside", _("Set aside (not an answer)")

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="institution_replies")
    via = models.CharField(max_length=10, choices=Via.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    received_at = models.DateTimeField(default=timezone.now)
    sender = models.CharField(max_length=300, blank=True, help_text=_("Who sent it (the From of a reply email)."))
    subject = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=300, blank=True, help_text=_("A reply email's Message-ID: a message delivered twice is kept once."))
    text = models.TextField(blank=True)
    commitment = models.TextField(blank=True)
    commitment_due_on = models.DateField(null=True, blank=True)
    original = models.FileField(upload_to=document_path, blank=True, max_length=200, help_text=_("The whole email as it came."))
    response = models.OneToOneField(Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="institution_reply")

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self):
        return f"Reply from {self.ask.target} on {self.received_at:%d %b %Y}"


class ReplyAttachment(models.Model):
    """A document that came with an institution's reply (kept whatever its type; only ever
    served as a download, and only PDFs can be published)."""

    reply = models.ForeignKey(InstitutionReply, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=document_path, max_length=200)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    @property
    def is_pdf(self) -> bool:
        try:
            with self.file.open("rb") as handle:
                return handle.read(5) == b"%PDF-"
        except (FileNotFoundError, ValueError):
            return False
