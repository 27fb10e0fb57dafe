"""Every write to petitions and signatures. Views and tasks call these; nothing else writes."""

import contextlib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, Count, F, Q, Value
from django.db.models.functions import Cast, Concat, Greatest
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from groundswell.core import outbox
from groundswell.webhooks import actions as webhooks
from groundswell.webhooks import events as webhook_events
from groundswell.core.pagecache import forget_on_commit
from groundswell.petitions import counting, emails, hooks, queries
from groundswell.petitions.errors import InvalidStateChange, PaperEntryError, PetitionNotOpen, WelshTextMissing
from groundswell.petitions.models import (
    COUNTED, Channel, EntryRecord, PaperSheet, PartnerOptIn, Petition, PetitionVersion, Signature, SupporterExport,
)
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
    name_text: str | None = None,
    partner_opt_ins: list | tuple = (),
    source_partner=None,
    language: str | None = None,
) -> SignResult:
    """Record a signature (unconfirmed) with its confirmation email queued (core/outbox.py).

    Signing again with the same address (however written) does not create a second signature:
    the existing one is returned and its email sent again (within the per-address hourly limit),
    so the person can still confirm.
    The unique constraint decides, so two submissions at the same instant also make one row.
    A `flagged_reason` (from groundswell.protection's checks) stores the signature but keeps it
    out of the count until a moderator restores it; the signer sees the same pages either way.
    `partner_opt_ins` is [(CampaignPartner, the words of its box)] for each partner's box the
    signer ticked; `source_partner` the partner whose link they came by. Both are recorded with a
    new signature only (a repeat signature keeps what its first submission said).
    `language` (default: the active one, the page's) is what the emails are written in; signing
    again in another language switches it, so the email just asked for is in the language used.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if not petition.is_accepting_signatures():
        raise PetitionNotOpen(petition.slug)
    email_normalised = normalise_email(email)
    signature = Signature(
        petition=petition,
        name=name,
        email=email,
        email_normalised=email_normalised,
        postcode=postcode,
        country=country,
        constituency_code=constituency_code,
        consent=ConsentStatement.for_text(purpose=ConsentStatement.Purpose.RECORD_SIGNATURE, text=consent_text),
        updates_consent=(
            ConsentStatement.for_text(purpose=ConsentStatement.Purpose.CAMPAIGN_UPDATES, text=updates_text)
            if updates_text
            else None
        ),
        email_domain=email_domain(email),
        ip_address=ip_address,
        ip_network=ip_network,
        flagged_reason=flagged_reason,
        flagged_at=timezone.now() if flagged_reason else None,
        version_id=current_version_id(petition),
        name_consent=_name_consent(name_text),
        source_partner=source_partner,
        language=language,
    )
    # A new signature and its email: on PostgreSQL one statement, needing no transaction of its
    # own (outbox.create_and_enqueue). Partner boxes add rows beside it, and a caller's
    # transaction must survive a repeat signer's IntegrityError, so those get one (a savepoint
    # when nested); the busy case, a signer with no partner box, makes one round trip.
    try:
        with transaction.atomic() if partner_opt_ins or connection.in_atomic_block else contextlib.nullcontext():
            # The confirmation request, or "you have already signed": decided when it is sent.
            queued = outbox.create_and_enqueue(emails.SIGNATURE_EMAIL, signature, recipient=email_normalised)
            _record_partner_opt_ins(signature, partner_opt_ins)
        return SignResult(signature=signature, is_new=True, email_queued=queued.queued)
    except IntegrityError:
        pass  # signed before with this address: that whole first try rolled back
    with transaction.atomic():
        signature = Signature.objects.get(petition=petition, email_normalised=email_normalised)
        if signature.language != language:
            Signature.objects.filter(pk=signature.pk).update(language=language)
            signature.language = language
        queued = outbox.enqueue(emails.SIGNATURE_EMAIL, object_id=signature.pk, recipient=email_normalised)
    return SignResult(signature=signature, is_new=False, email_queued=queued.queued)


def _record_partner_opt_ins(signature: Signature, opt_ins) -> None:
    PartnerOptIn.objects.bulk_create(
        [
            PartnerOptIn(
                signature=signature,
                partner=partner,
                consent=ConsentStatement.for_text(purpose=ConsentStatement.Purpose.PARTNER_UPDATES, text=text),
            )
            for partner, text in opt_ins
            if partner.campaign_id == signature.petition.campaign_id
        ]
    )


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
        area = _mark_confirmed(signature.pk, now)
        if area is None:
            return False
        # The row as the UPDATE left it, under its lock: a concurrent flag or invalidation is
        # seen; a flagged signature is confirmed but held back until a moderator restores it.
        # Confirmed now, it counts (COUNTED) unless a flag is still on it.
        petition_id, country, constituency_code, channel, flagged_reason = area
        if not flagged_reason:
            counting.add_to_count(
                petition_id=petition_id, country=country, constituency_code=constituency_code, channel=channel, delta=+1
            )
            hooks.counts_went_up(petition_id)  # after commit: thresholds (handin) are checked
        _emit_signature_confirmed(signature.pk, now)
        signature.confirmed_at = now
        for hook in ON_CONFIRMED:
            hook(signature)
    return True


def _mark_confirmed(signature_id: int, now) -> tuple | None:
    """Set confirmed_at if it is not set yet, lifting FLAGS_LIFTED_BY_CONFIRMING, and return the
    row's (petition_id, country, constituency_code, channel, flagged_reason) as it is after the
    change; None if it was confirmed already (the conditional UPDATE is the guard).

    One statement (UPDATE ... RETURNING, PostgreSQL and SQLite 3.35+) where the ORM needs three:
    the update, the flag's, and reading the area to count the signature in."""
    table = connection.ops.quote_name(Signature._meta.db_table)
    lifted = ", ".join(["%s"] * len(FLAGS_LIFTED_BY_CONFIRMING))
    at_now = connection.ops.adapt_datetimefield_value(now)
    if not connection.features.can_return_columns_from_insert:  # an SQLite older than 3.35
        changed = Signature.objects.filter(pk=signature_id, confirmed_at__isnull=True).update(confirmed_at=now)
        if not changed:
            return None
        Signature.objects.filter(pk=signature_id, flagged_reason__in=FLAGS_LIFTED_BY_CONFIRMING).update(flagged_reason="", flagged_at=None)
        return Signature.objects.values_list("petition_id", "country", "constituency_code", "channel", "flagged_reason").get(pk=signature_id)
    with connection.cursor() as cursor:
        # In SET, every right-hand side sees the row as it was: flagged_at's CASE reads the old flag.
        cursor.execute(
            f"UPDATE {table} SET confirmed_at = %s, "
            f"flagged_reason = CASE WHEN flagged_reason IN ({lifted}) THEN '' ELSE flagged_reason END, "
            f"flagged_at = CASE WHEN flagged_reason IN ({lifted}) THEN NULL ELSE flagged_at END "
            f"WHERE id = %s AND confirmed_at IS NULL "
            f"RETURNING petition_id, country, constituency_code, channel, flagged_reason",
            [at_now, *FLAGS_LIFTED_BY_CONFIRMING, *FLAGS_LIFTED_BY_CONFIRMING, signature_id],
        )
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


SIGNATURE_CONFIRMED = webhook_events.register(
    "signature.confirmed", "A signature on one of the organisation's petitions (or a partner's) was confirmed by email."
).name


def _person(signature) -> dict:
    return {"name": signature.name, "email": signature.email, "country": str(signature.country), "constituency_code": signature.constituency_code}


def _emit_signature_confirmed(signature_id: int, now) -> None:
    """Coalitions: tell the organisation's webhooks, and each partner whose box was ticked. The
    signer's name and address go only to an organisation they said yes to."""
    if not webhooks.any_endpoints():
        return
    signature = Signature.objects.select_related("petition__campaign", "source_partner").get(pk=signature_id)
    data = {
        "signature": str(signature.public_id), "petition": signature.petition.slug, "confirmed_at": now,
        "source": signature.source_partner.slug if signature.source_partner else None,
    }
    lead = signature.petition.campaign.organisation_id
    webhooks.emit(organisation_id=lead, event=SIGNATURE_CONFIRMED, data={**data, "person": _person(signature) if signature.updates_consent_id else None})
    for opt_in in signature.partner_opt_ins.select_related("partner"):
        webhooks.emit(organisation_id=opt_in.partner.organisation_id, event=SIGNATURE_CONFIRMED, data={**data, "person": _person(signature)})


def _move_counts(signature_ids, *, delta: int) -> int:
    """Add `delta` (+1 or -1) to the counts of those of these signatures that count (COUNTED),
    area by area, as they are in the database now. Every change that moves a count calls it:
    before the change to take signatures off, after it to put them on. Returns how many moved."""
    areas = (
        Signature.objects.filter(COUNTED, pk__in=list(signature_ids))
        .values("petition_id", "country", "constituency_code", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    moved = 0
    for area in areas:
        counting.add_to_count(
            petition_id=area["petition_id"], country=area["country"], constituency_code=area["constituency_code"],
            channel=area["channel"], delta=delta * area["n"],
        )
        moved += area["n"]
        if delta > 0:
            hooks.counts_went_up(area["petition_id"])  # after commit: thresholds (handin) are checked
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
    _strike_from_sheets(rows)
    return len(ids)


def _strike_from_sheets(rows) -> None:
    """A paper signer who goes (withdrawn by an organiser, or by themselves from their own-data
    page) is struck from their sheet too: its declared total goes down with them, so the sheet's
    uncounted remainder (total less entered signers) stays as it was and the count is right."""
    per_sheet: dict[int, int] = {}
    for row in rows:
        if row.sheet_id:
            per_sheet[row.sheet_id] = per_sheet.get(row.sheet_id, 0) + 1
    for sheet_id, n in sorted(per_sheet.items()):
        PaperSheet.objects.filter(pk=sheet_id, total__isnull=False, withdrawn_at__isnull=True).update(
            total=Greatest(F("total") - n, Value(0))
        )


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
        paper_key="",
        email_normalised=Concat(Value("anonymised:"), Cast("public_id", output_field=CharField())),
        anonymised_at=now,
    )


# A petition of an organisation that works bilingually opens only with these in Welsh too.
WELSH_FIELDS = ("title_cy", "ask_cy", "why_cy")


def require_welsh_text_if_bilingual(petition: Petition) -> None:
    """Raise WelshTextMissing if the organisation works bilingually and a Welsh field is blank."""
    if petition.campaign.organisation.works_bilingually:
        missing = [name for name in WELSH_FIELDS if not (getattr(petition, name) or "").strip()]
        if missing:
            raise WelshTextMissing(missing)


def change_petition_state(*, petition: Petition, state: str) -> Petition:
    if state not in {allowed for allowed, _ in petition.next_states}:
        raise InvalidStateChange(f"A {petition.state} petition cannot become {state}.")
    if state == Petition.State.OPEN:
        require_welsh_text_if_bilingual(petition)
    with transaction.atomic():
        Petition.objects.filter(pk=petition.pk).update(state=state, updated_at=timezone.now())
        _forget_cached_petition(petition.slug)
    petition.state = state
    return petition


def save_petition(*, form, user=None) -> Petition:
    """Save a validated PetitionForm (new or edited), keeping the text's versions.

    Once anyone has signed, a change to the title or the ask makes a new PetitionVersion (marked
    minor if the organiser says it is a correction); before then the current version is simply
    corrected. A change that is not minor and changes the ask emails the signers of earlier
    versions who opted in to hear from the campaign (`petitions.text_changed`)."""
    minor = bool(form.cleaned_data.get("text_change_minor"))
    note = form.cleaned_data.get("text_change_note", "") or ""
    with transaction.atomic():
        if form.instance.pk:
            _forget_cached_petition(Petition.objects.get(pk=form.instance.pk).slug)  # the old slug
        petition = form.save()
        _forget_cached_petition(petition.slug)
        # Whatever happens to the versions below, signatures from now on record the one it leaves.
        forget_on_commit(queries.current_version_cache_key(petition.pk))
        version = (
            PetitionVersion.objects.select_for_update().filter(petition=petition).order_by("-number").first()
        )
        if version is None:
            PetitionVersion.objects.create(petition=petition, number=1, title=petition.title, ask=petition.ask, created_by=user)
        elif (version.title, version.ask) != (petition.title, petition.ask):
            if not Signature.objects.filter(petition=petition).exists():
                PetitionVersion.objects.filter(pk=version.pk).update(title=petition.title, ask=petition.ask)
            else:
                new = PetitionVersion.objects.create(
                    petition=petition, number=version.number + 1, title=petition.title, ask=petition.ask,
                    minor=minor, note=note, created_by=user,
                )
                Petition.objects.filter(pk=petition.pk).update(text_version=new.number)
                petition.text_version = new.number
                if not minor and version.ask != petition.ask:
                    _tell_earlier_signers(petition, new)
        return petition


def current_version(petition: Petition) -> PetitionVersion:
    """The version of the text people sign now (version 1 is made the first time it is needed,
    for petitions made before versions were kept)."""
    version = PetitionVersion.objects.filter(petition=petition).order_by("-number").first()
    if version is None:
        version, _created = PetitionVersion.objects.get_or_create(
            petition=petition, number=1, defaults={"title": petition.title, "ask": petition.ask}
        )
    return version


def current_version_id(petition: Petition) -> int:
    """current_version(petition)'s id, briefly cached (queries.cached_current_version_id): what
    each new signature records. The first signature of a petition with no version yet makes
    version 1, and the cached "none yet" is forgotten once that commits."""
    version_id = queries.cached_current_version_id(petition.pk)
    if version_id is None:
        version_id = current_version(petition).pk
        forget_on_commit(queries.current_version_cache_key(petition.pk))
    return version_id


def _tell_earlier_signers(petition: Petition, version: PetitionVersion) -> int:
    """Queue "the ask changed" for each signer of an earlier version who opted in to updates."""
    earlier = (
        Signature.objects.filter(COUNTED, petition=petition, version__number__lt=version.number, updates_consent__isnull=False)
        .exclude(email="")
        .filter(anonymised_at__isnull=True)
        .values_list("pk", "email_normalised")
    )
    queued = 0
    for pk, email_normalised in earlier.iterator(chunk_size=2000):
        queued += outbox.enqueue(emails.TEXT_CHANGED_EMAIL, object_id=pk, recipient=email_normalised, params={"version": version.number}).queued
    return queued


def _name_consent(name_text: str | None):
    return ConsentStatement.for_text(purpose=ConsentStatement.Purpose.GIVE_NAME_TO_RECIPIENT, text=name_text) if name_text else None


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


def record_export(*, organisation_id: int, by, rows: int, partner=None, channel: str = "csv") -> SupporterExport:
    """Log an export of supporters' data before it is sent (docs/privacy.md): who, when, how many."""
    with transaction.atomic():
        return SupporterExport.objects.create(
            organisation_id=organisation_id, partner=partner, by=by, by_email=getattr(by, "email", "") or "", rows=rows, channel=channel
        )


def _forget_cached_petition(slug: str) -> None:
    """Public pages cache the petition briefly (queries.get_visible_petition); drop it on commit."""
    forget_on_commit(queries.visible_petition_cache_key(slug))


# -- paper sheets and assisted signatures ----------------------------------------------------
# Every entry is on the record of who did what (EntryRecord), in the same transaction.


def _record(petition_id, action, *, by, sheet=None, signature=None, reason="", detail=""):
    EntryRecord.objects.create(
        petition_id=petition_id, sheet=sheet, signature_ref=signature.public_id if signature is not None else None,
        action=action, by=by, reason=reason, detail=detail,
    )


def paper_key(name: str, postcode: str) -> str:
    """The same person on paper, however their name and postcode were written: a keyed hash, so the
    check needs no postcode kept. Blank when there is no postcode to tell two namesakes apart."""
    compact = "".join(postcode.split()).upper()
    if not compact:
        return ""
    return salted_hmac("groundswell.petitions.paper_key", f"{' '.join(name.casefold().split())}|{compact}").hexdigest()


def print_sheet(*, petition: Petition, user, consent_text: str) -> PaperSheet:
    """A new sheet for the petition, with the next reference number, ready to print."""
    consent = ConsentStatement.for_text(purpose=ConsentStatement.Purpose.RECORD_SIGNATURE, text=consent_text)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                number = (PaperSheet.objects.filter(petition=petition).order_by("-number").values_list("number", flat=True).first() or 0) + 1
                sheet = PaperSheet.objects.create(
                    petition=petition, number=number, reference=f"P{petition.pk}-{number:04d}", consent=consent, printed_by=user
                )
                _record(petition.pk, EntryRecord.Action.SHEET_PRINTED, by=user, sheet=sheet)
                return sheet
        except IntegrityError:  # two organisers printed at the same instant: take the next number
            continue
    raise PaperEntryError(_("Could not number the new sheet: please try again."))


def _locked_sheet(sheet: PaperSheet) -> PaperSheet:
    locked = PaperSheet.objects.select_for_update().get(pk=sheet.pk)
    counting.lock_petition_counts(locked.petition_id, shared=True)
    if locked.withdrawn_at is not None:
        raise PaperEntryError(_("This sheet was withdrawn: nothing more can be entered on it."))
    return locked


def enter_sheet_details(
    *, sheet: PaperSheet, user, total: int | None, collected_by: str, collected_where: str, collected_on, scan=None, reason: str = ""
) -> PaperSheet:
    """Record a returned sheet's total and where it came from (or correct them). The total beyond
    the signers entered one by one is counted, without an area."""
    if total is not None and total < 0:
        raise PaperEntryError(_("A sheet's total cannot be below zero."), field="total")
    with transaction.atomic():
        locked = _locked_sheet(sheet)
        entered = Signature.objects.filter(sheet=locked).count()
        if total is not None and total < entered:
            raise PaperEntryError(
                _("The total (%(total)s) is smaller than the %(entered)s signers already entered from this sheet. "
                  "Count the sheet again, or withdraw the signers who are not on it.") % {"total": total, "entered": entered},
                field="total",
            )
        before = counting.sheet_remainder(locked)
        first_time = locked.entered_at is None
        old_total = locked.total
        locked.total = total
        locked.collected_by, locked.collected_where, locked.collected_on = collected_by, collected_where, collected_on
        if first_time:
            locked.entered_by, locked.entered_at = user, timezone.now()
        if scan:
            locked.scan = scan
        locked.save()
        after = counting.sheet_remainder(locked)
        counting.add_to_sheet_remainder(petition_id=locked.petition_id, delta=after - before)
        if after > before:
            hooks.counts_went_up(locked.petition_id)
        detail = _("total %(old)s → %(new)s") % {"old": "—" if old_total is None else old_total, "new": "—" if total is None else total}
        _record(
            locked.petition_id, EntryRecord.Action.SHEET_ENTERED if first_time else EntryRecord.Action.SHEET_CORRECTED,
            by=user, sheet=locked, reason=reason, detail=detail,
        )
        return locked


def _duplicate_message(error: IntegrityError, email_normalised: str, key: str, petition_id: int, exclude_pk=None) -> PaperEntryError:
    others = Signature.objects.filter(petition_id=petition_id).exclude(pk=exclude_pk)
    if key and others.filter(paper_key=key).exists():
        return PaperEntryError(
            _("Someone with this name and postcode is already entered on this petition: a person can sign only once."), field="name"
        )
    if others.filter(email_normalised=email_normalised).exists():
        return PaperEntryError(_("Someone with this email address has already signed this petition: a person can sign only once."), field="email")
    return PaperEntryError(_("This signer could not be entered: please check the details and try again."))


def enter_paper_signer(
    *, sheet: PaperSheet, user, name: str, postcode: str, constituency_code: str, email: str = "", name_text: str | None = None
) -> Signature:
    """One signer typed in from a returned sheet: counted at once (a paper signature cannot be
    confirmed by email, so none is sent) in their constituency, marked as paper."""
    with transaction.atomic():
        locked = _locked_sheet(sheet)
        entered = Signature.objects.filter(sheet=locked).count()
        if locked.total is not None and entered + 1 > locked.total:
            raise PaperEntryError(
                _("This sheet's total is %(total)s and %(entered)s signers are already entered from it: "
                  "correct the sheet's total first if it has more.") % {"total": locked.total, "entered": entered},
            )
        before = counting.sheet_remainder(locked)
        key = paper_key(name, postcode)
        email_normalised = normalise_email(email) if email else f"paper:{uuid.uuid4()}"
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    petition_id=locked.petition_id, channel=Channel.PAPER, sheet=locked, entered_by=user,
                    name=name, email=email, email_normalised=email_normalised, email_domain=email_domain(email) if email else "",
                    postcode="", country="GB", constituency_code=constituency_code, paper_key=key,
                    consent=locked.consent, name_consent=_name_consent(name_text),
                    version_id=current_version_id(locked.petition), confirmed_at=timezone.now(),
                )
        except IntegrityError as error:
            raise _duplicate_message(error, email_normalised, key, locked.petition_id) from error
        _move_counts([signature.pk], delta=+1)
        counting.add_to_sheet_remainder(petition_id=locked.petition_id, delta=counting.sheet_remainder(locked) - before)
        _record(locked.petition_id, EntryRecord.Action.SIGNER_ENTERED, by=user, sheet=locked, signature=signature)
        return signature


def correct_entered_signer(
    *, signature: Signature, user, name: str, postcode: str, constituency_code: str, reason: str, name_text: str | None = None
) -> Signature:
    """Correct a paper or assisted signer's name or constituency (a typing mistake), with a reason."""
    if signature.channel == Channel.ONLINE:
        raise PaperEntryError(_("Only paper and assisted signatures can be corrected here."))
    with transaction.atomic():
        rows = _locked(Signature.objects.filter(pk=signature.pk))
        if not rows:
            raise PaperEntryError(_("This signature has been withdrawn."))
        row = rows[0]
        key = paper_key(name, postcode)
        _move_counts([row.pk], delta=-1)
        try:
            with transaction.atomic():
                Signature.objects.filter(pk=row.pk).update(
                    name=name, constituency_code=constituency_code, paper_key=key, name_consent=_name_consent(name_text)
                )
        except IntegrityError as error:
            raise _duplicate_message(error, row.email_normalised, key, row.petition_id, exclude_pk=row.pk) from error
        _move_counts([row.pk], delta=+1)
        detail = _("constituency %(old)s → %(new)s") % {"old": row.constituency_code or "—", "new": constituency_code or "—"}
        _record(row.petition_id, EntryRecord.Action.SIGNER_CORRECTED, by=user, sheet=row.sheet, signature=row, reason=reason, detail=detail)
        row.refresh_from_db()
        return row


def withdraw_entered_signer(*, signature: Signature, user, reason: str) -> None:
    """Withdraw a paper or assisted signature (the person asked, or it was entered by mistake): it is
    deleted and off the count. Its line on the sheet is struck too, so the sheet's total goes
    down by one and the count is right."""
    if signature.channel == Channel.ONLINE:
        raise PaperEntryError(_("Only paper and assisted signatures can be withdrawn here."))
    if not reason.strip():
        raise PaperEntryError(_("Give the reason for withdrawing it: it goes on the record."), field="reason")
    with transaction.atomic():
        sheet = PaperSheet.objects.select_for_update().filter(pk=signature.sheet_id).first() if signature.sheet_id else None
        if remove_signatures(Signature.objects.filter(pk=signature.pk)) != 1:
            raise PaperEntryError(_("This signature has already been withdrawn."))
        detail = ""
        if sheet is not None and sheet.total:  # remove_signatures struck the line: the total is one less
            detail = _("total %(old)s → %(new)s") % {"old": sheet.total, "new": sheet.total - 1}
        _record(signature.petition_id, EntryRecord.Action.SIGNER_WITHDRAWN, by=user, sheet=sheet, signature=signature, reason=reason, detail=detail)


def withdraw_sheet(*, sheet: PaperSheet, user, reason: str) -> int:
    """Withdraw a whole sheet (lost, or not genuine): its signers and its total leave the count."""
    if not reason.strip():
        raise PaperEntryError(_("Give the reason for withdrawing it: it goes on the record."), field="reason")
    with transaction.atomic():
        locked = _locked_sheet(sheet)
        before = counting.sheet_remainder(locked)
        # Withdrawn first, so that removing its signers leaves its total as it was entered.
        locked.withdrawn_at, locked.withdrawn_reason = timezone.now(), reason
        locked.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        removed = remove_signatures(Signature.objects.filter(sheet=locked))
        counting.add_to_sheet_remainder(petition_id=locked.petition_id, delta=-before)
        _record(
            locked.petition_id, EntryRecord.Action.SHEET_WITHDRAWN, by=user, sheet=locked, reason=reason,
            detail=_("%(signers)s signers and %(rest)s more off the count") % {"signers": removed, "rest": before},
        )
        return removed + before


def sign_assisted(
    *, petition: Petition, volunteer, name: str, email: str, postcode: str, country: str, constituency_code: str,
    consent_text: str, updates_text: str | None = None, name_text: str | None = None, flagged_reason: str = "",
) -> SignResult:
    """A volunteer signs for someone, by phone or in person, having read them the consent words.

    With an email address, it is confirmed as any signature is: the person gets the confirmation
    email (the one outbox) and it counts once they confirm. Without one, the volunteer's word is
    the confirmation, and it counts at once. Either way it records that it was assisted, and by whom."""
    if not petition.is_accepting_signatures():
        raise PetitionNotOpen(petition.slug)
    with transaction.atomic():
        key = paper_key(name, postcode) if not email else ""
        email_normalised = normalise_email(email) if email else f"assisted:{uuid.uuid4()}"
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    petition=petition, channel=Channel.ASSISTED, entered_by=volunteer,
                    name=name, email=email, email_normalised=email_normalised, email_domain=email_domain(email) if email else "",
                    postcode="", country=country, constituency_code=constituency_code, paper_key=key,
                    consent=ConsentStatement.for_text(purpose=ConsentStatement.Purpose.RECORD_SIGNATURE, text=consent_text),
                    updates_consent=(
                        ConsentStatement.for_text(purpose=ConsentStatement.Purpose.CAMPAIGN_UPDATES, text=updates_text)
                        if updates_text and email else None
                    ),
                    name_consent=_name_consent(name_text), version_id=current_version_id(petition),
                    flagged_reason=flagged_reason, flagged_at=timezone.now() if flagged_reason else None,
                    confirmed_at=None if email else timezone.now(),
                )
        except IntegrityError as error:
            if email:
                # As online: the person already signed; they get the email again, the volunteer the same page.
                existing = Signature.objects.get(petition=petition, email_normalised=email_normalised)
                queued = outbox.enqueue(emails.SIGNATURE_EMAIL, object_id=existing.pk, recipient=email_normalised)
                return SignResult(signature=existing, is_new=False, email_queued=queued.queued)
            raise _duplicate_message(error, email_normalised, key, petition.pk) from error
        queued = True
        if email:
            queued = outbox.enqueue(emails.SIGNATURE_EMAIL, object_id=signature.pk, recipient=email_normalised).queued
        else:
            _move_counts([signature.pk], delta=+1)
        _record(
            petition.pk, EntryRecord.Action.ASSISTED, by=volunteer, signature=signature,
            detail=_("to be confirmed by email") if email else _("no email: counted on the volunteer's word"),
        )
    return SignResult(signature=signature, is_new=True, email_queued=queued)


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
        language=lambda signature, row: signature.language,
    )
)

# "The petition you signed has changed": to signers of an earlier version who opted in to updates.
outbox.register(
    outbox.EmailKind(
        name=emails.TEXT_CHANGED_EMAIL,
        load=_load_signatures,
        build=lambda signature, row: emails.build_text_changed_email(signature, row.params.get("version"))
        if signature.email and signature.updates_consent_id else None,
    )
)


# A supporter's signatures on their own-data pages, downloaded and deleted with everything else.
personal_data.register(
    personal_data.Source(
        name="signatures", held_about=queries.signatures_held_about, erase=erase_signatures_of, holders=queries.addresses_with_signatures
    )
)
