"""Deciding, for one signing attempt, whether to count it or hold it back (flag it).

The petition view calls `screen_signature` with a validated form's email address. The result
carries what the signature stores (IP address, network, flag reason). Nothing here refuses a
signature: a flagged one is stored, the signer sees exactly the pages anyone sees, and a
moderator can restore it. The only thing it can ask is for a genuinely old form to be sent again.
"""

import time
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from groundswell.core import counters
from groundswell.protection import formguard
from groundswell.core.networks import client_ip, network_of, rate_limit_subject
from groundswell.protection.queries import rate_limits_for
from groundswell.supporters.email_addresses import email_domain

FLAG_REASONS = {
    "honeypot": _("Filled in the hidden field people never see"),
    "form_token_missing": _("Sent without the form's timestamp"),
    "form_token_invalid": _("Sent with a forged or mismatched timestamp"),
    # No longer given (timing alone flags no one); kept to describe signatures flagged before, and
    # cleared when such a signature is confirmed (petitions.actions.confirm_signature).
    "too_fast": _("Sent quickly after the form was shown (no longer held back: not evidence on its own)"),
    "proof_of_work_missing": _("Puzzle not solved (no JavaScript, or a script)"),
    "proof_of_work_invalid": _("Puzzle answer wrong or expired"),
    "proof_of_work_reused": _("Puzzle answer used before"),
    "rate_ip_burst": _("Too many from one IP address in a short time"),
    "rate_ip_hourly": _("Too many from one IP address in an hour"),
    "rate_network": _("Too many from one network in an hour"),
    "rate_email_domain": _("Too many from one email domain in an hour"),
    "invalidated": _("Removed by a moderator's bulk invalidation"),
    "rate_volunteer": _("Too many assisted signatures by one volunteer in an hour"),
}


@dataclass(frozen=True)
class Screening:
    ip_address: str | None
    ip_network: str
    flagged_reason: str
    form_expired: bool = False

    @property
    def signature_fields(self) -> dict:
        """Keyword arguments for petitions.actions.sign_petition."""
        return {"ip_address": self.ip_address, "ip_network": self.ip_network, "flagged_reason": self.flagged_reason}


EXPIRED_FORM_MESSAGE = _(
    "This form was open for a long time, so we could not check it. Your answers are still here: "
    "please check them and press “Sign the petition” again."
)


def screen_signature(request, *, petition, email: str, now: float | None = None) -> Screening:
    now = time.time() if now is None else now
    ip = client_ip(request)
    network = network_of(ip)
    token = formguard.check_form_token(request.POST.get(formguard.TOKEN_FIELD, ""), petition.pk, now=now)
    if token.expired:
        return Screening(ip, network, "", form_expired=True)

    reasons = []
    if request.POST.get(formguard.HONEYPOT_FIELD, ""):
        reasons.append("honeypot")
    if token.problem:
        reasons.append(token.problem)
    if petition.proof_of_work_required:
        problem = formguard.check_proof_of_work(request.POST)
        if problem:
            reasons.append(problem)
    reasons.extend(_rate_limit_reasons(petition, ip=ip, network=network, domain=email_domain(email), now=now))
    return Screening(ip, network, reasons[0] if reasons else "")


# Second-level suffixes under which organisations register (example.org.uk, example.ac.uk).
_SECOND_LEVEL_SUFFIXES = {
    "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "net.uk", "ltd.uk", "plc.uk", "nhs.uk", "sch.uk", "police.uk",
    "com.au", "net.au", "org.au", "co.nz", "org.nz", "co.za", "com.br", "co.jp", "co.in",
}


def domain_family(domain: str) -> str:
    """The registered domain an address's domain belongs to: a1.throwaway.example and
    b2.throwaway.example are one family, so random subdomains do not escape the domain limit."""
    labels = domain.strip(".").split(".")
    keep = 3 if ".".join(labels[-2:]) in _SECOND_LEVEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


def _rate_limit_reasons(petition, *, ip, network, domain, now) -> list[str]:
    """Count this attempt against every limit (so a flood keeps being flagged) and say which it broke."""
    limits = rate_limits_for(petition)
    scope = f"{petition.pk}:"
    checks = []  # (counter name, subject, window seconds, limit, reason)
    if ip:
        subject = rate_limit_subject(ip)
        checks += [
            ("ip-burst", scope + subject, limits.ip_burst_seconds, limits.ip_burst_limit, "rate_ip_burst"),
            ("ip-hour", scope + subject, 3600, limits.ip_hourly_limit, "rate_ip_hourly"),
            ("net-hour", scope + network, 3600, limits.network_hourly_limit, "rate_network"),
        ]
    family = domain_family(domain) if domain else ""
    if family and domain not in limits.common_domains and family not in limits.common_domains:
        checks.append(("domain-hour", scope + family, 3600, limits.email_domain_hourly_limit, "rate_email_domain"))
    counts = counters.hit_many([(name, subject, window) for name, subject, window, _, _ in checks], now=now)
    reasons = [reason for (_, _, _, limit, reason), count in zip(checks, counts) if count > limit]
    return reasons


def screen_assisted_signature(*, volunteer, petition, now: float | None = None) -> Screening:
    """A volunteer signing for someone (petitions' assisted signing) is logged in, and a phone bank
    shares one IP address, so the limit is per volunteer, not per IP: over the organisation's
    `volunteer_hourly_limit` in an hour (across its petitions), the signature is held for review.
    No IP address is stored: the volunteer's is not the signer's."""
    limits = rate_limits_for(petition)
    count = counters.hit("volunteer-hour", f"{petition.campaign.organisation_id}:user:{volunteer.pk}", 3600, now=now)
    return Screening(None, "", "rate_volunteer" if count > limits.volunteer_hourly_limit else "")
