"""Every write a supporter makes to their own data (no account needed: the signed link is the key)."""

from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from groundswell.core import outbox
from groundswell.petitions import counting
from groundswell.petitions.models import Signature
from groundswell.protection import counters
from groundswell.supporters import emails
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
        return outbox.enqueue(emails.DATA_LINK, object_id=link.pk, recipient=email_normalised).queued


def forget_expired_data_links(*, now=None) -> int:
    """Housekeeping: a data link's address is kept only while the link works."""
    now = now or timezone.now()
    deleted, _ = DataLink.objects.filter(created_at__lt=now - timedelta(hours=settings.SUPPORTER_DATA_LINK_HOURS)).delete()
    return deleted


def _remove(signatures: list[Signature]) -> int:
    """Delete signatures, taking the counted ones (confirmed, not flagged) off their area's count."""
    removed = 0
    for signature in signatures:
        counting.lock_petition_counts(signature.petition_id, shared=True)
        # Re-read under the row lock: counts follow the row as it is now, not as it was shown.
        row = Signature.objects.select_for_update().filter(pk=signature.pk).first()
        if row is None:
            continue
        if row.confirmed_at is not None and not row.flagged_reason:
            counting.add_to_count(
                petition_id=row.petition_id, country=str(row.country), constituency_code=row.constituency_code, delta=-1
            )
        row.delete()
        removed += 1
    return removed


def withdraw_signature(*, email_normalised: str, public_id) -> bool:
    """Withdraw one of the person's own signatures: deleted, and the counts go down."""
    with transaction.atomic():
        signatures = list(Signature.objects.filter(email_normalised=email_normalised, public_id=public_id))
        return _remove(signatures) == 1


class Deleted(NamedTuple):
    signatures: int
    letters: int


def delete_all_data(*, email_normalised: str) -> Deleted:
    """Delete every signature held for the address, and its letters' words and details. Consent
    wordings are shared text, not personal data. Returns how many of each, for the page that says so."""
    from groundswell.letters.actions import erase_letters_of  # letters written with the address, too

    with transaction.atomic():
        letters = erase_letters_of(email_normalised=email_normalised)
        signatures = _remove(list(Signature.objects.filter(email_normalised=email_normalised).order_by("pk")))
        return Deleted(signatures=signatures, letters=letters)


outbox.register(
    outbox.EmailKind(
        name=emails.DATA_LINK,
        load=lambda ids: DataLink.objects.in_bulk(ids),
        build=lambda link, row: emails.build_data_link_email(link),
        transactional=True,  # the person has just asked for it
        limited=True,  # anyone can type anyone's address into the form
        give_up_after=timedelta(hours=settings.SUPPORTER_DATA_LINK_HOURS),
    )
)
