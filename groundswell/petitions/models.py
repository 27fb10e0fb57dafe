"""Petitions, their signatures, and the sharded counts derived from confirmed signatures."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils import timezone
from django_countries.fields import CountryField

from groundswell.accounts.models import Organisation
from groundswell.campaigns.models import Campaign, CampaignPartner
from groundswell.core.slugs import slug_not_empty
from groundswell.supporters.models import ConsentStatement

DEFAULT_MILESTONES = [1_000, 10_000, 100_000]


def default_milestones():
    return list(DEFAULT_MILESTONES)


def validate_milestones(value):
    if not isinstance(value, list) or not all(isinstance(m, int) and m > 0 for m in value):
        raise ValidationError(_("Milestones must be a list of whole numbers above zero."))


class Petition(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft (only organisers can see it)")
        OPEN = "open", _("Open (people can sign between the opening and closing dates)")
        CLOSED = "closed", _("Closed (visible, no more signatures)")
        ARCHIVED = "archived", _("Archived (hidden from lists)")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="petitions")
    slug = models.SlugField(max_length=80, unique=True, help_text=_("Used in the web address: letters, numbers and hyphens."))
    title = models.CharField(max_length=150)
    ask = models.TextField(_("What the petition asks for"), max_length=1000, help_text=_("A sentence or two."))
    why = models.TextField(_("Why it matters"), max_length=10000, help_text=_("Blank lines start new paragraphs."))
    # Welsh beside the English: required to open when the organisation works bilingually.
    title_cy = models.CharField(_("Title in Welsh"), max_length=150, blank=True)
    ask_cy = models.TextField(_("What the petition asks for, in Welsh"), max_length=1000, blank=True)
    why_cy = models.TextField(_("Why it matters, in Welsh"), max_length=10000, blank=True)
    addressed_to = models.CharField(_("Addressed to"), max_length=200, help_text=_("Who the petition is addressed to, e.g. “NHS England”."))
    opens_on = models.DateField(_("Opening date"), default=timezone.localdate)
    closes_on = models.DateField(_("Closing date"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    milestones = models.JSONField(default=default_milestones, validators=[validate_milestones], blank=True)
    # A switch moderators turn on for a petition under attack (moderation.actions.set_proof_of_work);
    # signing reads it (protection.screening), so it lives on the petition signing already has.
    proof_of_work_required = models.BooleanField(
        default=False,
        help_text=_("Ask each signer's browser to solve a small puzzle (a few seconds, no CAPTCHA). "
        "Without JavaScript a signature is still stored, but held for review."),
    )
    # The number of the current PetitionVersion, kept here so the petition page needs no query to
    # say that the text changed (petitions.actions.save_petition writes both).
    text_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="petition_closes_after_it_opens"),
            slug_not_empty("petition_slug_not_empty"),
        ]

    def __str__(self):
        return self.title

    # Which states each state may move to, with the words on the organiser's button.
    STATE_CHANGES = {
        State.DRAFT: [(State.OPEN, "Open for signatures"), (State.ARCHIVED, "Archive")],
        State.OPEN: [(State.CLOSED, "Close")],
        State.CLOSED: [(State.OPEN, "Reopen"), (State.ARCHIVED, "Archive")],
        State.ARCHIVED: [(State.CLOSED, "Unarchive")],
    }

    @property
    def next_states(self) -> list[tuple[str, str]]:
        return self.STATE_CHANGES.get(self.state, [])

    def is_accepting_signatures(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.state == self.State.OPEN and self.opens_on <= today <= self.closes_on

    @property
    def state_word(self) -> str:
        """The state in one word, for organisers' tables."""
        return {
            self.State.DRAFT: gettext("draft"), self.State.OPEN: gettext("open"),
            self.State.CLOSED: gettext("closed"), self.State.ARCHIVED: gettext("archived"),
        }.get(self.state, self.state)

    @property
    def public_state_label(self) -> str:
        """The petition's state in the words a visitor needs (a date can close an open petition)."""
        today = timezone.localdate()
        if self.state == self.State.OPEN and today < self.opens_on:
            return gettext("opens on %(date)s") % {"date": date_format(self.opens_on, "j F Y")}
        if self.state == self.State.OPEN and today > self.closes_on:
            return gettext("closed on %(date)s") % {"date": date_format(self.closes_on, "j F Y")}
        if self.state in (self.State.CLOSED, self.State.ARCHIVED):
            return gettext("closed")
        return gettext("open") if self.state == self.State.OPEN else gettext("draft")

    def milestone_progress(self, count: int) -> dict:
        """Milestones reached, and the next one to aim for (None once all are passed)."""
        ordered = sorted(set(self.milestones or []))
        reached = [m for m in ordered if m <= count]
        upcoming = [m for m in ordered if m > count]
        return {"reached": reached, "next": upcoming[0] if upcoming else None}


# The counting rule, written once: a signature counts when it is confirmed and not flagged.
# Counts (petitions/counting.py), recounts, the moderators' pages and every change that moves a
# count (petitions/actions.py) use this and nothing else.
# Paper sheets add one more thing to the count: a sheet's declared total beyond the signers
# entered from it one by one (PaperSheet.remainder), counted without an area (counting.py).
COUNTED = models.Q(confirmed_at__isnull=False, flagged_reason="")


class Channel(models.TextChoices):
    """How a signature reached us. Counted alike; shown apart ("3,912 online, 210 on paper")."""

    ONLINE = "online", _("online")
    PAPER = "paper", _("on paper")
    ASSISTED = "assisted", _("assisted")


class PetitionVersion(models.Model):
    """The title and ask as they were from `created_at`. Version 1 is the text a petition opened
    with; once anyone has signed, an edit to the title or ask makes a new version (an edit before
    then changes the current one), and each signature records the version it signed."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=150)
    ask = models.TextField(max_length=1000)
    minor = models.BooleanField(
        default=False, help_text="A correction (spelling, punctuation) that does not change what is asked: signers are not emailed."
    )
    note = models.CharField(max_length=300, blank=True, help_text="What changed and why, in the organiser's words.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["petition", "number"]
        constraints = [models.UniqueConstraint(fields=["petition", "number"], name="one_petition_version_per_number")]

    def __str__(self):
        return f"{self.petition_id} v{self.number}"


def scan_path(instance, filename: str) -> str:
    """A random name: the original may hold personal details. Served only to organisers."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"paper/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class PaperSheet(models.Model):
    """One printed sign-up sheet, with its reference number, and what came back on it.

    Organisers enter a returned sheet as a total (with who collected it, where and when), and/or
    its signers one by one. The total beyond the entered signers (`remainder`) is counted without
    an area; entered signers are counted by their constituency like any signature.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="paper_sheets")
    number = models.PositiveIntegerField()
    reference = models.CharField(max_length=40, unique=True)
    consent = models.ForeignKey(ConsentStatement, on_delete=models.PROTECT, related_name="+", help_text="The words printed on the sheet.")
    printed_at = models.DateTimeField(default=timezone.now)
    printed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    total = models.PositiveIntegerField(null=True, blank=True, help_text="Signatures on the returned sheet, counted by hand.")
    collected_by = models.CharField(max_length=200, blank=True)
    collected_where = models.CharField(max_length=200, blank=True)
    collected_on = models.DateField(null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    entered_at = models.DateTimeField(null=True, blank=True)
    scan = models.FileField(upload_to=scan_path, blank=True, max_length=200)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["petition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "number"], name="one_paper_sheet_per_number"),
            models.CheckConstraint(condition=models.Q(total__gte=0) | models.Q(total__isnull=True), name="paper_sheet_total_not_negative"),
        ]

    def __str__(self):
        return self.reference


class Signature(models.Model):
    """One person's signature on one petition.

    `email_normalised` with the unique constraint is what makes it one per person per petition,
    however many times and however simultaneously they submit. Only signatures with
    `confirmed_at` set and no `flagged_reason` are counted.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    email_normalised = models.CharField(max_length=254)
    postcode = models.CharField(max_length=8, blank=True)
    country = CountryField(default="GB")
    constituency_code = models.CharField(max_length=9, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_email_sent_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the signer's name, email and postcode were erased; the count is kept.")
    )
    consent = models.ForeignKey(ConsentStatement, on_delete=models.PROTECT, related_name="+")
    updates_consent = models.ForeignKey(
        ConsentStatement, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        help_text=_("Set when the signer opted in to hear from the campaign: the words they agreed to."),
    )
    # Fraud checks (groundswell/protection): where the signature came from, kept
    # PROTECTION_IP_RETENTION_DAYS, and why it is held back from the count, if it is.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    email_domain = models.CharField(max_length=254, blank=True, help_text=_("For spotting floods from one domain."))
    ip_network = models.CharField(max_length=49, blank=True, help_text=_("The /24 (IPv4) or /48 (IPv6) network of ip_address."))
    flagged_reason = models.CharField(
        max_length=40, blank=True, help_text=_("Set when a protection check held the signature back: stored, not counted.")
    )
    flagged_at = models.DateTimeField(null=True, blank=True)
    # How it reached us (paper and assisted signatures: docs/architecture.md, "Paper and assisted").
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    sheet = models.ForeignKey(PaperSheet, on_delete=models.CASCADE, null=True, blank=True, related_name="signatures")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The organiser who typed in a paper signature, or the volunteer who took an assisted one.",
    )
    # A paper signer's name and postcode, keyed (HMAC) so the same person cannot be entered twice
    # on one petition without keeping the postcode itself. Blank for other signatures.
    paper_key = models.CharField(max_length=64, blank=True)
    version = models.ForeignKey(PetitionVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures")
    name_consent = models.ForeignKey(
        ConsentStatement, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        help_text="Set when the signer agreed that their name may be given to the petition's recipient: the words.",
    )
    # Coalitions: the partner whose link (?source=<slug>) the signer came by, if any.
    source_partner = models.ForeignKey(CampaignPartner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The language the supporter used (the page's, /cy/ or not): their emails are written in it.
    language = models.CharField(max_length=16, blank=True, default="", help_text=_("The language the page was in: emails about it use it."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "email_normalised"], name="one_signature_per_person_per_petition"),
            models.UniqueConstraint(
                fields=["petition", "paper_key"], condition=~models.Q(paper_key=""), name="one_paper_signature_per_person_per_petition"
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(confirmed_at__isnull=True), name="unconfirmed_by_age"),
            models.Index(fields=["petition", "created_at"], name="signatures_by_petition_time"),
            models.Index(fields=["email_normalised"], name="signatures_by_email"),
            models.Index(fields=["petition", "flagged_reason"], name="signatures_by_flag"),
        ]

    def __str__(self):
        return f"Signature {self.public_id} on {self.petition_id}"


class SignatureCount(models.Model):
    """Confirmed signatures per petition and area, split over shards.

    A confirmation adds one to a randomly chosen shard of its (petition, country, constituency)
    row, so concurrent confirmations rarely wait on the same row; a petition's count is the sum.
    The rows are derived data: `recount_petition` rebuilds them from the signatures.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    country = models.CharField(max_length=2)
    constituency_code = models.CharField(max_length=9, blank=True)
    # Online, on paper or assisted: counted alike, shown apart. A paper sheet's total beyond its
    # entered signers has no area: country "" and no constituency.
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    shard = models.PositiveSmallIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "country", "constituency_code", "channel", "shard"], name="one_count_row_per_channel_shard"
            ),
        ]


class EntryRecord(models.Model):
    """The record of who did what to paper and assisted signatures: every sheet printed, entered,
    corrected or withdrawn, every signer entered, corrected or withdrawn, with the reason. It
    names signatures by their random id, never by the signer's name or postcode."""

    class Action(models.TextChoices):
        SHEET_PRINTED = "sheet_printed", _("printed the sheet")
        SHEET_ENTERED = "sheet_entered", _("entered the sheet's details")
        SHEET_CORRECTED = "sheet_corrected", _("corrected the sheet's details")
        SHEET_WITHDRAWN = "sheet_withdrawn", _("withdrew the sheet")
        SIGNER_ENTERED = "signer_entered", _("entered a signer")
        SIGNER_CORRECTED = "signer_corrected", _("corrected a signer")
        SIGNER_WITHDRAWN = "signer_withdrawn", _("withdrew a signer")
        ASSISTED = "assisted", _("took an assisted signature")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="entry_records")
    sheet = models.ForeignKey(PaperSheet, on_delete=models.CASCADE, null=True, blank=True, related_name="records")
    signature_ref = models.UUIDField(null=True, blank=True, help_text="The signature's public id (it may since have been withdrawn).")
    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=500, blank=True)
    detail = models.CharField(max_length=300, blank=True, help_text="What changed, without personal data (e.g. “total 50 → 48”).")

    class Meta:
        ordering = ["-at", "-pk"]
class PartnerOptIn(models.Model):
    """A signer's separate, unticked-by-default yes to hearing from one partner of the campaign,
    with the exact words they ticked (a ConsentStatement, as every consent)."""

    signature = models.ForeignKey(Signature, on_delete=models.CASCADE, related_name="partner_opt_ins")
    partner = models.ForeignKey(CampaignPartner, on_delete=models.CASCADE, related_name="opt_ins")
    consent = models.ForeignKey(ConsentStatement, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signature", "partner"], name="one_opt_in_per_signature_and_partner")]
        indexes = [models.Index(fields=["partner", "created_at"], name="opt_ins_by_partner")]


class SupporterExport(models.Model):
    """Every export of supporters' data (special-category data leaving the platform): who, when, how many."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(CampaignPartner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    by_email = models.CharField(max_length=254)
    channel = models.CharField(max_length=10, default="csv", help_text="csv (the organisers' page) or api")
    rows = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
