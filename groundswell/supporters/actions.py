"""Every write a supporter makes to their own data (no account needed: the signed link is the key)."""

from typing import NamedTuple

from django.db import transaction

from groundswell.core.tasks import enqueue
from groundswell.petitions import counting
from groundswell.petitions.models import Signature
from groundswell.protection import counters
from groundswell.supporters.email_addresses import normalise_email

# Caps on link requests, so the form cannot be used to flood someone's mailbox.
LINKS_PER_ADDRESS_PER_HOUR = 3
LINKS_PER_IP_PER_HOUR = 20


def request_data_link(*, email: str, ip_address: str | None) -> bool:
    """Queue an email with a link to the person's data. Returns whether one was queued.

    The caller shows the same page either way, whether or not the address is known or capped.
    """
    email_normalised = normalise_email(email)
    if counters.hit("data-link-email", email_normalised, 3600) > LINKS_PER_ADDRESS_PER_HOUR:
        return False
    if ip_address and counters.hit("data-link-ip", ip_address, 3600) > LINKS_PER_IP_PER_HOUR:
        return False
    from groundswell.supporters.tasks import send_data_link

    with transaction.atomic():
        enqueue(send_data_link, email.strip())
    return True


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
