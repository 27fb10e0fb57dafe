"""Settings moderators change at runtime, and the record of what moderators did.

Rate limits live in the database (one row per organisation), not in settings, so that a
moderator can tighten them in the middle of an attack without a deploy.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groundswell.accounts.models import Organisation
from groundswell.petitions.models import Petition

# Big mailbox providers: many real supporters share them, so the per-domain limit skips them.
DEFAULT_COMMON_EMAIL_DOMAINS = (
    "gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk live.com live.co.uk msn.com "
    "yahoo.com yahoo.co.uk ymail.com icloud.com me.com mac.com aol.com btinternet.com sky.com "
    "virginmedia.com talktalk.net protonmail.com proton.me pm.me gmx.com gmx.co.uk mail.com fastmail.com"
)


class RateLimits(models.Model):
    """How many signing attempts one source may make on one petition before they are flagged.

    Over a limit, a signature is still stored (and the signer sees the usual pages) but it is
    flagged and not counted until a moderator restores it.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="rate_limits")
    ip_burst_limit = models.PositiveIntegerField(
        _("Signatures from one IP address in a burst"), default=5, help_text="Signatures from one IP address on one petition within the burst window."
    )
    ip_burst_seconds = models.PositiveIntegerField(_("Burst window (seconds)"), default=60, help_text="The burst window, in seconds.")
    ip_hourly_limit = models.PositiveIntegerField(
        _("Signatures from one IP address in an hour"), default=20, help_text="Signatures from one IP address on one petition in an hour (a shared office or college can reach this)."
    )
    network_hourly_limit = models.PositiveIntegerField(
        _("Signatures from one network in an hour"), default=50, help_text="Signatures from one network (a /24 for IPv4, a /48 for IPv6) on one petition in an hour."
    )
    email_domain_hourly_limit = models.PositiveIntegerField(
        _("Signatures from one email domain in an hour"), default=20, help_text="Signatures with email addresses at one domain on one petition in an hour."
    )
    common_email_domains = models.TextField(
        _("Common email domains"),
        default=DEFAULT_COMMON_EMAIL_DOMAINS,
        blank=True,
        help_text="Big mailbox providers, separated by spaces: the email domain limit does not apply to them.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name_plural = "rate limits"

    def __str__(self):
        return f"Rate limits for {self.organisation}"

    @property
    def common_domains(self) -> set[str]:
        return {d.strip().lower() for d in self.common_email_domains.split() if d.strip()}


class PetitionProtection(models.Model):
    """Per-petition switches for a petition under attack."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="protection")
    proof_of_work_required = models.BooleanField(
        default=False,
        help_text="Ask each signer's browser to solve a small puzzle (a few seconds, no CAPTCHA). "
        "Without JavaScript a signature is still stored, but held for review.",
    )
    updated_at = models.DateTimeField(auto_now=True)


class ModerationRecord(models.Model):
    """Every bulk invalidation and every restore: who, when, on what criteria, how many.

    An invalidation runs as a background task; `processed` and `state` are its progress.
    """

    class Kind(models.TextChoices):
        INVALIDATE = "invalidate", "Invalidation"
        RESTORE = "restore", "Restore"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    moderator_email = models.CharField(max_length=254, blank=True, help_text="Kept if the moderator's account is deleted.")
    criteria = models.JSONField(default=dict)
    description = models.TextField(blank=True)
    expected = models.PositiveIntegerField(default=0, help_text="How many signatures matched when it was asked for.")
    processed = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0, help_text="Signatures invalidated (or restored).")
    count_change = models.IntegerField(default=0, help_text="How much the petition's count went down (or up).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.petition_id} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent_done(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, int(100 * self.processed / self.expected)) if self.expected else 0
