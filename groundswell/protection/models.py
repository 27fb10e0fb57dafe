"""Settings moderators change at runtime for the checks on every signature.

Rate limits live in the database (one row per organisation), not in settings, so that a
moderator can tighten them in the middle of an attack without a deploy.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groundswell.accounts.models import Organisation

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
        _("Signatures from one IP address in a burst"), default=5, help_text=_("Signatures from one IP address on one petition within the burst window.")
    )
    ip_burst_seconds = models.PositiveIntegerField(_("Burst window (seconds)"), default=60, help_text=_("The burst window, in seconds."))
    ip_hourly_limit = models.PositiveIntegerField(
        _("Signatures from one IP address in an hour"), default=20, help_text=_("Signatures from one IP address on one petition in an hour (a shared office or college can reach this).")
    )
    network_hourly_limit = models.PositiveIntegerField(
        _("Signatures from one network in an hour"), default=50, help_text=_("Signatures from one network (a /24 for IPv4, a /48 for IPv6) on one petition in an hour.")
    )
    email_domain_hourly_limit = models.PositiveIntegerField(
        _("Signatures from one email domain in an hour"), default=20, help_text=_("Signatures with email addresses at one domain on one petition in an hour.")
    )
    volunteer_hourly_limit = models.PositiveIntegerField(
        _("Assisted signatures by one volunteer in an hour"), default=60,
        help_text="Signatures one logged-in volunteer may take on someone's behalf in an hour; more are held for review. "
        "Counted per volunteer, not per IP address (a phone bank shares one).",
    )
    common_email_domains = models.TextField(
        _("Common email domains"),
        default=DEFAULT_COMMON_EMAIL_DOMAINS,
        blank=True,
        help_text=_("Big mailbox providers, separated by spaces: the email domain limit does not apply to them."),
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
