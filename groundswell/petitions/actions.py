"""Every write to petitions and signatures. Views and tasks call these; nothing else writes."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from groundswell.core import outbox
from groundswell.core.pagecache import forget_on_commit
from groundswell.petitions import counting, emails, queries
from groundswell.petitions.errors import InvalidStateChange, PetitionNotOpen
from groundswell.petitions.models import COUNTED, Petition, Signature
from groundswell.supporters import personal_data
from groundswell.supporters.email_addresses import email_domain, normalise_email
from groundswell.supporters.models import ConsentStatement


@dataclass(frozen=True)
class SignResult:
    signature: Signature
    is_new: bool
    # False when this address has had as many emails this hour as a stranger may cause
    # (MAIL_LIMIT_PER_ADDRESS_PER_HOUR): the page says the email was already sent.
    email_queued: bool = True


def sign_petition(
    *,
    petition: Petition,
    name: str,
    email: str,
    postcode: str,
    country: str,
    consent_text: str,
    updates_text: str | None,
    constituency_code: str = "",
    ip_address: str | None = None,
    ip_network: str = "",
    flagged_reason: str = "",
) -> SignResult:
    """Record a signature (unconfirmed) with its confirmation email queued (core/outbox.py).

    Signing again with the same address (however written) does not create a second signature:
    the existing one is returned and its email sent again (within the per-address hourly limit),
    so the person can still confirm.
    The unique constraint decides, so two submissions at the same instant also make one row.
    A `flagged_reason` (from groundswell.protection's checks) stores the signature but keeps it
    out of the count until a moderator restores it; the signer sees the same pages either way.
    """
    if not petition.is_accepting_signatures():
        raise PetitionNotOpen(petition.slug)
    with transaction.atomic():
        consent = ConsentStatement.for_text(purpose=ConsentStatement.Purpose.RECORD_SIGNATURE, text=consent_text)
        updates_consent = (
            ConsentStatement.for_text(purpose=ConsentStatement.Purpose.CAMPAIGN_UPDATES, text=updates_text)
            if updates_text
            else None
        )
        email_normalised = normalise_email(email)
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    petition=petition,
                    name=name,
                    email=email,
                    email_normalised=email_normalised,
                    postcode=postcode,
                    country=country,
                    constituency_code=constituency_code,
                    consent=consent,
                    updates_consent=updates_consent,
                    email_domain=email_domain(email),
                    ip_address=ip_address,
                    ip_network=ip_network,
                    flagged_reason=flagged_reason,
                    flagged_at=timezone.now() if flagged_reason else None,
                )
            is_new = True
        except IntegrityError:
            signature = Signature.objects.get(petition=petition, email_normalised=email_normalised)
            is_new = False
        # The confirmation request, or "you have already signed": decided when it is sent.
        queued = outbox.enqueue(emails.SIGNATURE_EMAIL, object_id=signature.pk, recipient=email_normalised)
    return SignResult(signature=signature, is_new=is_new, email_queued=queued.queued)


# Called with each signature the moment it is confirmed, inside the confirming transaction: apps
# above petitions register here from their AppConfig.ready() (updates records the signer's "email
# me news" answer as a consent it can use), so petitions names none of them.
ON_CONFIRMED: list = []


# Flags that confirming by email lifts: timing alone is no evidence against a person (a browser's
# autofill sends the form within a second), and the emailed link proves a real mailbox.
FLAGS_LIFTED_BY_CONFIRMING = ("too_fast",)


def confirm_signature(*, signature: Signature) -> bool:
    """Mark a signature confirmed and count it. Returns False if it was already confirmed.

    The conditional UPDATE is the guard: of any number of simultaneous confirmations of one
    signature, exactly one changes the row, and only that one adds to the count.
    """
    with transaction.atomic():
        counting.lock_petition_counts(signature.petition_id, shared=True)
        now = timezone.now()
        changed = Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).update(confirmed_at=now)
        if not changed:
            return False
        Signature.objects.filter(pk=signature.pk, flagged_reason__in=FLAGS_LIFTED_BY_CONFIRMING).update(
            flagged_reason="", flagged_at=None
        )
        # Read after the UPDATE: the row is locked now, so a concurrent flag or invalidation is
        # seen; a flagged signature is confirmed but held back until a moderator restores it.
        _move_counts([signature.pk], delta=+1)
        signature.confirmed_at = now
        for hook in ON_CONFIRMED:
            hook(signature)
    return True


def _move_counts(signature_ids, *, delta: int) -> int:
    """Add `delta` (+1 or -1) to the counts of those of these signatures that count (COUNTED),
    area by area, as they are in the database now. Every change that moves a count calls it:
    before the change to take signatures off, after it to put them on. Returns how many moved."""
    areas = (
        Signature.objects.filter(COUNTED, pk__in=list(signature_ids))
        .values("petition_id", "country", "constituency_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    moved = 0
    for area in areas:
        counting.add_to_count(
            petition_id=area["petition_id"], country=area["country"], constituency_code=area["constituency_code"], delta=delta * area["n"]
        )
        moved += area["n"]
    return moved


def _locked(signatures):
    """The signatures' rows, locked in a stable order, with their petitions' counts share-locked:
    what every change that moves a count works on."""
    rows = list(signatures.select_for_update().order_by("pk"))
    for petition_id in sorted({row.petition_id for row in rows}):
        counting.lock_petition_counts(petition_id, shared=True)
    return rows


def remove_signatures(signatures) -> int:
    """Delete these signatures (a queryset), taking the counted ones off their areas' counts.
    Call inside a transaction. Returns how many were deleted."""
    rows = _locked(signatures)
    ids = [row.pk for row in rows]
    _move_counts(ids, delta=-1)
    outbox.cancel(emails.SIGNATURE_EMAIL, object_ids=ids)
    Signature.objects.filter(pk__in=ids).delete()
    return len(ids)


def withdraw_signature(*, email_normalised: str, public_id) -> bool:
    """A supporter withdraws one of their own signatures: deleted, and the counts go down."""
    with transaction.atomic():
        return remove_signatures(Signature.objects.filter(email_normalised=email_normalised, public_id=public_id)) == 1


def erase_signatures_of(email_normalised: str) -> int:
    """A supporter's request to delete their data: every signature with the address goes."""
    with transaction.atomic():
        return remove_signatures(Signature.objects.filter(email_normalised=email_normalised))


def flag_signatures(signatures, *, reason: str) -> tuple[int, int]:
    """Flag these signatures (a queryset) with `reason`, taking the counted ones off the count.
    Returns (flagged, taken off the count). Signatures already flagged for this reason are left."""
    rows = _locked(signatures.exclude(flagged_reason=reason))
    ids = [row.pk for row in rows]
    removed = _move_counts(ids, delta=-1)
    Signature.objects.filter(pk__in=ids).update(flagged_reason=reason, flagged_at=timezone.now())
    return len(ids), removed


def restore_signatures(signatures) -> tuple[list, int]:
    """Clear the flag on the flagged ones among these signatures; the confirmed ones count from
    now on. Returns (the restored rows, how many were added to the count)."""
    rows = _locked(signatures.exclude(flagged_reason=""))
    ids = [row.pk for row in rows]
    Signature.objects.filter(pk__in=ids).update(flagged_reason="", flagged_at=None)
    return rows, _move_counts(ids, delta=+1)


def recount_petition(*, petition: Petition) -> int:
    """Rebuild a petition's counts from its confirmed signatures; returns the total."""
    with transaction.atomic():
        return counting.rebuild_counts(petition.pk)


def purge_expired_signatures(*, now=None) -> int:
    """Delete signatures never confirmed within SIGNATURE_CONFIRMATION_DAYS. Counts are untouched:
    unconfirmed signatures were never counted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SIGNATURE_CONFIRMATION_DAYS)
    deleted, _ = Signature.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


def anonymise_signatures_of_closed_petitions(*, now=None) -> int:
    """Erase signers' personal data SIGNER_DATA_RETENTION_DAYS_AFTER_CLOSE after a petition
    closes (by date, or by an organiser closing it early), as the consent wording promises.

    IP addresses (kept for fraud checks) go too. Country and constituency stay, so every count (total and by area) is unchanged. The
    normalised email becomes the signature's random id, which keeps the unique constraint happy
    and links to no one.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SIGNER_DATA_RETENTION_DAYS_AFTER_CLOSE)
    closed_long_ago = Petition.objects.filter(
        Q(closes_on__lt=timezone.localdate(cutoff))
        | Q(state__in=[Petition.State.CLOSED, Petition.State.ARCHIVED], updated_at__lt=cutoff)
    )
    return Signature.objects.filter(petition__in=closed_long_ago, anonymised_at__isnull=True).update(
        name="",
        email="",
        postcode="",
        ip_address=None,
        ip_network="",
        email_domain="",
        email_normalised=Concat(Value("anonymised:"), Cast("public_id", output_field=CharField())),
        anonymised_at=now,
    )


def change_petition_state(*, petition: Petition, state: str) -> Petition:
    if state not in {allowed for allowed, _ in petition.next_states}:
        raise InvalidStateChange(f"A {petition.state} petition cannot become {state}.")
    with transaction.atomic():
        Petition.objects.filter(pk=petition.pk).update(state=state, updated_at=timezone.now())
        _forget_cached_petition(petition.slug)
    petition.state = state
    return petition


def save_petition(*, form) -> Petition:
    """Save a validated PetitionForm (new or edited)."""
    with transaction.atomic():
        if form.instance.pk:
            _forget_cached_petition(Petition.objects.get(pk=form.instance.pk).slug)  # the old slug
        petition = form.save()
        _forget_cached_petition(petition.slug)
        return petition


def set_proof_of_work_required(*, petition: Petition, required: bool) -> Petition:
    """Switch the signing puzzle on or off (moderators do, for a petition under attack)."""
    with transaction.atomic():
        Petition.objects.filter(pk=petition.pk).update(proof_of_work_required=required, updated_at=timezone.now())
        _forget_cached_petition(petition.slug)
    petition.proof_of_work_required = required
    return petition


def erase_old_ip_addresses(*, now=None) -> int:
    """Erase IP addresses and networks once fraud checks no longer need them (PROTECTION_IP_RETENTION_DAYS)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PROTECTION_IP_RETENTION_DAYS)
    old = Signature.objects.filter(created_at__lt=cutoff).exclude(ip_address__isnull=True, ip_network="")
    return old.update(ip_address=None, ip_network="")


def _forget_cached_petition(slug: str) -> None:
    """Public pages cache the petition briefly (queries.get_visible_petition); drop it on commit."""
    forget_on_commit(queries.visible_petition_cache_key(slug))


# -- the email signatures send (core/outbox.py) ----------------------------------------------


def _load_signatures(ids: list[int]) -> dict:
    return Signature.objects.select_related("petition__campaign__organisation").in_bulk(ids)


def _record_sent(rows) -> None:
    Signature.objects.filter(pk__in=[row.object_id for row in rows]).update(confirmation_email_sent_at=timezone.now())


outbox.register(
    outbox.EmailKind(
        name=emails.SIGNATURE_EMAIL,
        load=_load_signatures,
        build=lambda signature, row: emails.build_signature_email(signature) if signature.email else None,
        transactional=True,  # the person has just signed and asked for it
        limited=True,  # anyone can type anyone's address into the sign form
        on_sent=_record_sent,
    )
)


# A supporter's signatures on their own-data pages, downloaded and deleted with everything else.
personal_data.register(personal_data.Source(name="signatures", held_about=queries.signatures_held_about, erase=erase_signatures_of))
