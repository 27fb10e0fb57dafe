"""Every write to letters. Views, tasks and the bounce intake call these; nothing else writes."""

from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from groundswell.core.tasks import enqueue
from groundswell.letters import fingerprints, queries
from groundswell.letters.errors import LetterError, RateLimited
from groundswell.letters.models import Contact, Digest, Letter, LetterAction
from groundswell.protection import counters
from groundswell.protection.networks import rate_limit_subject
from groundswell.supporters.email_addresses import normalise_email

RATE_LIMIT_MESSAGE = (
    "You have sent a lot of letters today, so we have stopped for now to protect recipients from "
    "floods of mail. Please try again tomorrow."
)


def _contact_for(recipient: queries.Recipient) -> Contact:
    contact, created = Contact.objects.get_or_create(
        key=recipient.key,
        defaults={
            "name": recipient.name,
            "email": recipient.email,
            "target_id": recipient.target_id,
            "constituency_name": recipient.constituency_name,
        },
    )
    if not created and (contact.email, contact.name) != (recipient.email, recipient.name):
        # A new address from the pack or the ledger: letters go there now (and a bounce flag on the
        # old address no longer applies: Contact.needs_attention compares them).
        Contact.objects.filter(pk=contact.pk).update(email=recipient.email, name=recipient.name)
        contact.email, contact.name = recipient.email, recipient.name
    return contact


def _check_rate_limits(*, email: str, ip_address: str | None) -> None:
    if counters.hit("letters-supporter", normalise_email(email), 86400) > settings.LETTERS_LIMIT_PER_SUPPORTER_PER_DAY:
        raise RateLimited(RATE_LIMIT_MESSAGE)
    if ip_address and counters.hit("letters-ip", rate_limit_subject(ip_address), 3600) > settings.LETTERS_LIMIT_PER_IP_PER_HOUR:
        raise RateLimited(RATE_LIMIT_MESSAGE)


def write_letter(
    *,
    action: LetterAction,
    name: str,
    email: str,
    postcode: str,
    subject: str,
    personal: str,
    body: str,
    ip_address: str | None = None,
    constituency_code: str = "",
) -> Letter:
    """Store a letter awaiting its writer's confirmation, with the confirmation email queued.
    `constituency_code` is the writer's choice from the list when the data does not know their
    postcode (queries.find_recipient).

    Raises LettersPaused/NoRecipient (no recipient for it now) or RateLimited.
    """
    if not action.is_open:
        raise LetterError("This letter-writing action has closed.")
    recipient = queries.find_recipient(action, postcode, constituency_code=constituency_code)
    _check_rate_limits(email=email, ip_address=ip_address)
    words = queries.letter_words(subject=subject, personal=personal, body=body)
    fingerprint = fingerprints.minhash(words)
    bundled = queries.is_near_identical(action=action, recipient_key=recipient.key, words=words, fingerprint=fingerprint)
    with transaction.atomic():
        letter = Letter.objects.create(
            action=action,
            contact=_contact_for(recipient),
            supporter_name=name,
            supporter_email=email,
            supporter_email_normalised=normalise_email(email),
            postcode=postcode if action.to_mp else "",
            subject=subject,
            personal=personal,
            body=body,
            constituency_code=recipient.constituency_code,
            fingerprint=fingerprint,
            is_bundled=bundled,
        )
        from groundswell.letters.tasks import send_confirmation_request

        enqueue(send_confirmation_request, letter.pk)
    return letter


def confirm_letter(*, letter: Letter) -> bool:
    """Confirm a letter and queue it: sent alone now, or in the next digest. False if it was
    already confirmed (a second press changes nothing)."""
    if letter.action.to_mp and settings.LETTERS_PAUSE_MPS:
        raise LetterError(queries.MP_PAUSED_MESSAGE)
    with transaction.atomic():
        now = timezone.now()
        if not Letter.objects.filter(pk=letter.pk, confirmed_at__isnull=True, text_deleted_at__isnull=True).update(confirmed_at=now):
            return False
        if not letter.is_bundled:
            from groundswell.letters.tasks import deliver_letter

            enqueue(deliver_letter, letter.pk)
    letter.confirmed_at = now
    return True


def record_sent(*, letter_ids: list[int], digest: Digest | None = None) -> None:
    now = timezone.now()
    Letter.objects.filter(pk__in=letter_ids, sent_at__isnull=True).update(sent_at=now)
    if digest is not None:
        Digest.objects.filter(pk=digest.pk).update(sent_at=now)


def assemble_due_digests(*, now=None) -> int:
    """Bundle each recipient's waiting near-identical letters into a digest, once the oldest has
    waited LETTERS_DIGEST_HOURS, and queue it. Returns how many digests were queued."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.LETTERS_DIGEST_HOURS)
    waiting = Letter.objects.filter(is_bundled=True, confirmed_at__isnull=False, digest__isnull=True, sent_at__isnull=True)
    due_contacts = [
        row["contact"]
        for row in waiting.values("contact").annotate(oldest=Min("confirmed_at"))
        if row["oldest"] <= cutoff
    ]
    from groundswell.letters.tasks import send_digest

    queued = 0
    for contact_id in due_contacts:
        with transaction.atomic():
            ids = list(waiting.filter(contact_id=contact_id).select_for_update(skip_locked=True).values_list("pk", flat=True))
            if not ids:
                continue
            digest = Digest.objects.create(contact_id=contact_id, letter_count=len(ids))
            Letter.objects.filter(pk__in=ids, digest__isnull=True).update(digest=digest)
            enqueue(send_digest, digest.pk)
            queued += 1
    return queued


def record_bounce(*, token: str) -> int:
    """A bounce came back to bounces+<token>@...: flag the contact for organisers and tell the
    writer(s). `token` is a letter's public id (hex), or "d" and a digest's. Returns how many
    letters it concerned (0 for an unknown token)."""
    from groundswell.letters.tasks import send_bounce_notice

    now = timezone.now()
    # A letter's token is 32 hex digits (which may well start with "d"); a digest's is "d" and 32.
    is_digest = len(token) == 33 and token.startswith("d")
    public_id = _uuid_or_none(token[1:] if is_digest else token)
    if public_id is None:
        return 0
    with transaction.atomic():
        if is_digest:
            digest = Digest.objects.filter(public_id=public_id).first()
            if digest is None:
                return 0
            Digest.objects.filter(pk=digest.pk).update(bounced_at=now)
            letters = list(Letter.objects.filter(digest=digest).select_related("contact"))
        else:
            letters = list(Letter.objects.filter(public_id=public_id).select_related("contact"))
        for letter in letters:
            first = Letter.objects.filter(pk=letter.pk, bounced_at__isnull=True).update(bounced_at=now)
            if first and letter.supporter_email:
                enqueue(send_bounce_notice, letter.pk)
        if letters:
            contact = letters[0].contact
            Contact.objects.filter(pk=contact.pk).update(bounced_at=now, bounced_address=contact.email, bounce_count=F("bounce_count") + 1)
    return len(letters)


def _uuid_or_none(value: str):
    try:
        return UUID(hex=value)
    except ValueError:
        return None


def record_answer(*, letter: Letter, answer: str) -> None:
    """The supporter's answer to "Did you get a reply?" (they may change it)."""
    if answer not in Letter.Answer.values:
        raise LetterError("That is not one of the answers.")
    Letter.objects.filter(pk=letter.pk).update(answer=answer, answered_at=timezone.now())
    letter.answer = answer


def queue_letter_work(*, now=None) -> dict:
    """Housekeeping (core/tasks.py run_maintenance): reminders, digests, follow-ups, deletions.

    Each email is queued at most once: the field recording it is set in the same transaction.
    """
    from groundswell.letters.tasks import send_confirmation_request, send_followup

    now = now or timezone.now()
    results = {}
    with transaction.atomic():
        reminders = list(
            Letter.objects.filter(
                confirmed_at__isnull=True,
                reminder_sent_at__isnull=True,
                created_at__lte=now - timedelta(days=settings.LETTERS_CONFIRMATION_REMINDER_DAYS),
                created_at__gt=now - timedelta(days=settings.LETTERS_CONFIRMATION_DAYS),
            ).values_list("pk", flat=True)
        )
        Letter.objects.filter(pk__in=reminders).update(reminder_sent_at=now)
        for pk in reminders:
            enqueue(send_confirmation_request, pk, True)
    results["letter_confirmation_reminders"] = len(reminders)
    results["unconfirmed_letters_deleted"], _ = Letter.objects.filter(
        confirmed_at__isnull=True, created_at__lte=now - timedelta(days=settings.LETTERS_CONFIRMATION_DAYS)
    ).delete()
    results["letter_digests_queued"] = assemble_due_digests(now=now)
    followup_cutoff = now - timedelta(days=settings.LETTERS_FOLLOWUP_DAYS)
    with transaction.atomic():
        first = list(
            Letter.objects.filter(
                sent_at__lte=followup_cutoff, followup_sent_at__isnull=True, text_deleted_at__isnull=True, bounced_at__isnull=True
            ).values_list("pk", flat=True)
        )
        Letter.objects.filter(pk__in=first).update(followup_sent_at=now)
        second = list(
            Letter.objects.filter(
                followup_sent_at__lte=now - timedelta(days=settings.LETTERS_FOLLOWUP_REMINDER_DAYS),
                followup_reminder_sent_at__isnull=True,
                answer="",
                text_deleted_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        Letter.objects.filter(pk__in=second).update(followup_reminder_sent_at=now)
        for pk in first:
            enqueue(send_followup, pk, False)
        for pk in second:
            enqueue(send_followup, pk, True)
    results["letter_followups"] = len(first) + len(second)
    results["letter_texts_deleted"] = delete_old_letter_texts(now=now)
    return results


def delete_old_letter_texts(*, now=None) -> int:
    """Delete letters' words and their writers' details LETTERS_TEXT_RETENTION_DAYS after sending.
    The rows stay (recipient, dates, answer, fingerprint), so the figures remain."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LETTERS_TEXT_RETENTION_DAYS)
    return Letter.objects.filter(sent_at__lte=cutoff, text_deleted_at__isnull=True).update(
        **_ERASED, text_deleted_at=now
    )


_ERASED = {
    "supporter_name": "", "supporter_email": "", "supporter_email_normalised": "", "postcode": "", "subject": "", "body": "", "personal": "",
}


def erase_letters_of(*, email_normalised: str) -> int:
    """A supporter's request to delete their data: letters not yet sent are deleted (and never
    sent); sent ones lose their words and details at once, keeping only what the figures need."""
    if not email_normalised:
        return 0
    with transaction.atomic():
        mine = Letter.objects.filter(supporter_email_normalised=email_normalised)
        unsent, _ = mine.filter(sent_at__isnull=True).delete()
        erased = mine.update(**_ERASED, text_deleted_at=timezone.now())
    return unsent + erased


def save_letter_action(*, form) -> LetterAction:
    with transaction.atomic():
        return form.save()
