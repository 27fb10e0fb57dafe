"""Every write a supporter makes to their own data (no account needed: the signed link is the key)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from groundswell.core import outbox
from groundswell.core import counters
from groundswell.supporters import emails, personal_data
from groundswell.supporters.email_addresses import normalise_email
from groundswell.supporters.models import DataLink

# A cap on link requests from one network, so the form cannot be used to flood mailboxes; the
# per-address cap is the outbox's, shared with every email a stranger could trigger.
LINKS_PER_IP_PER_HOUR = 20


def request_data_link(*, email: str, ip_address: str | None) -> bool:
    """Queue an email with a link to the person's data. Returns whether one was queued (False:
    this address, or this network, has asked for enough this hour).

    The page says the same whether or not the address is known.
    """
    email_normalised = normalise_email(email)
    if ip_address and counters.hit("data-link-ip", ip_address, 3600) > LINKS_PER_IP_PER_HOUR:
        return False
    if outbox.over_limit(email_normalised):
        return False
    with transaction.atomic():
        link = DataLink.objects.create(email=email.strip(), email_normalised=email_normalised)
        # Written in the language of the page it was asked from (core/outbox.py EmailKind).
        params = {"language": translation.get_language() or settings.LANGUAGE_CODE}
        return outbox.enqueue(emails.DATA_LINK, object_id=link.pk, recipient=email_normalised, params=params).queued


def forget_expired_data_links(*, now=None) -> int:
    """Housekeeping: a data link's address is kept only while the link works."""
    now = now or timezone.now()
    deleted, _ = DataLink.objects.filter(created_at__lt=now - timedelta(hours=settings.SUPPORTER_DATA_LINK_HOURS)).delete()
    return deleted


def delete_all_data(*, email_normalised: str) -> dict[str, int]:
    """Delete everything held for the address, in every app that holds any (personal_data.py):
    signatures (counts go down), letters' words and details. Consent wordings are shared text,
    not personal data. Returns how many of each, for the page that says so."""
    with transaction.atomic():
        return personal_data.erase_all(email_normalised)


outbox.register(
    outbox.EmailKind(
        name=emails.DATA_LINK,
        load=emails.load_data_links,
        build=lambda link, row: emails.build_data_link_email(link, holds_data=link.holds_data),
        transactional=True,  # the person has just asked for it
        limited=True,  # anyone can type anyone's address into the form
        give_up_after=timedelta(hours=settings.SUPPORTER_DATA_LINK_HOURS),
    )
)
