"""Every write to letters. Views, tasks and the bounce intake call these; nothing else writes."""

from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from groundswell.core import outbox
from groundswell.webhooks import actions as webhooks
from groundswell.webhooks import events as webhook_events
from groundswell.letters import emails, fingerprints, queries
from groundswell.letters.errors import LetterError, RateLimited
from groundswell.letters.models import Contact, Digest, Letter, LetterAction
from groundswell.core import counters
from groundswell.core.networks import rate_limit_subject
from groundswell.supporters import personal_data
from groundswell.supporters.email_addresses import normalise_email

ALREADY_EMAILED_MESSAGE = _(
    "We have already sent several emails to this address in the last hour, so we have not sent "
    "another. Please look for them (and in your spam or junk folder) and confirm the letters there, "
    "or try again in an hour."
)
RATE_LIMIT_MESSAGE = _(
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
    language: str | None = None,
) -> Letter:
    """Store a letter awaiting its writer's confirmation, with the confirmation email queued.
    `constituency_code` is the writer's choice from the list when the data does not know their
    postcode (queries.find_recipient).

    Raises LettersPaused/NoRecipient (no recipient for it now) or RateLimited.
    """
    if not action.is_open:
        raise LetterError(_("This letter-writing action has closed."))
    recipient = queries.find_recipient(action, postcode, constituency_code=constituency_code)
    _check_rate_limits(email=email, ip_address=ip_address)
    if outbox.over_limit(normalise_email(email)):
        raise RateLimited(ALREADY_EMAILED_MESSAGE)
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
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
        )
        outbox.enqueue(emails.CONFIRMATION, object_id=letter.pk, recipient=letter.supporter_email_normalised)
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
            outbox.enqueue(emails.LETTER, object_id=letter.pk, recipient=letter.contact.email)
    letter.confirmed_at = now
    return True


def record_sent(*, letter_ids: list[int], digest: Digest | None = None) -> None:
    now = timezone.now()
    with transaction.atomic():
        newly_sent = list(
            Letter.objects.filter(pk__in=letter_ids, sent_at__isnull=True).select_related("action__campaign", "contact")
        )
        Letter.objects.filter(pk__in=[letter.pk for letter in newly_sent]).update(sent_at=now)
        if digest is not None:
            Digest.objects.filter(pk=digest.pk).update(sent_at=now)
        for letter in newly_sent:  # coalitions: the organisation's webhooks, in the same transaction
            webhooks.emit(
                organisation_id=letter.action.campaign.organisation_id,
                event=LETTER_SENT,
                data={
                    "letter": str(letter.public_id), "letter_action": letter.action.slug, "recipient": letter.contact.name,
                    "constituency_code": letter.constituency_code, "in_digest": digest is not None, "sent_at": now,
                },
            )


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
    queued = 0
    for contact_id in due_contacts:
        with transaction.atomic():
            ids = list(waiting.filter(contact_id=contact_id).select_for_update(skip_locked=True).values_list("pk", flat=True))
            if not ids:
                continue
            digest = Digest.objects.create(contact_id=contact_id, letter_count=len(ids))
            Letter.objects.filter(pk__in=ids, digest__isnull=True).update(digest=digest)
            outbox.enqueue(emails.DIGEST, object_id=digest.pk, recipient=Contact.objects.get(pk=contact_id).email)
            queued += 1
    return queued


def record_bounce(*, letter_ids: list[int], digest_id: int | None = None) -> int:
    """A letter or digest could not be delivered (a bounce came back, or the mail server refused
    it for good): flag the contact for organisers and tell the writer(s). Returns how many
    letters it concerned. A second report about the same letters tells nobody again."""
    now = timezone.now()
    with transaction.atomic():
        if digest_id is not None:
            Digest.objects.filter(pk=digest_id).update(bounced_at=now)
            letters = list(Letter.objects.filter(digest_id=digest_id).select_related("contact"))
        else:
            letters = list(Letter.objects.filter(pk__in=letter_ids).select_related("contact"))
        for letter in letters:
            first = Letter.objects.filter(pk=letter.pk, bounced_at__isnull=True).update(bounced_at=now)
            if first and letter.supporter_email:
                outbox.enqueue(emails.BOUNCE_NOTICE, object_id=letter.pk, recipient=letter.supporter_email_normalised)
        for contact in {letter.contact for letter in letters}:
            Contact.objects.filter(pk=contact.pk).update(bounced_at=now, bounced_address=contact.email, bounce_count=F("bounce_count") + 1)
    return len(letters)


def record_answer(*, letter: Letter, answer: str) -> None:
    """The supporter's answer to "Did you get a reply?" (they may change it)."""
    if answer not in Letter.Answer.values:
        raise LetterError(_("That is not one of the answers."))
    Letter.objects.filter(pk=letter.pk).update(answer=answer, answered_at=timezone.now())
    letter.answer = answer


def queue_letter_work(*, now=None) -> dict:
    """Housekeeping (composition/tasks.py run_maintenance): reminders, digests, follow-ups, deletions.

    Each email is queued at most once: the field recording it is set in the same transaction.
    """
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
        for pk, address in Letter.objects.filter(pk__in=reminders).values_list("pk", "supporter_email_normalised"):
            outbox.enqueue(emails.CONFIRMATION, object_id=pk, recipient=address, params={"reminder": True})
    results["letter_confirmation_reminders"] = len(reminders)
    results["unconfirmed_letters_deleted"], _details = Letter.objects.filter(
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
        for ids, reminder in ((first, False), (second, True)):
            for pk, address in Letter.objects.filter(pk__in=ids).values_list("pk", "supporter_email_normalised"):
                outbox.enqueue(emails.FOLLOWUP, object_id=pk, recipient=address, params={"reminder": reminder})
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
        unsent_ids = list(mine.filter(sent_at__isnull=True).values_list("pk", flat=True))
        for kind in (emails.CONFIRMATION, emails.LETTER, emails.FOLLOWUP, emails.BOUNCE_NOTICE):
            outbox.cancel(kind, object_ids=unsent_ids)
        unsent, _details = Letter.objects.filter(pk__in=unsent_ids).delete()
        erased = mine.update(**_ERASED, text_deleted_at=timezone.now())
    return unsent + erased


def save_letter_action(*, form) -> LetterAction:
    with transaction.atomic():
        return form.save()


# -- the kinds of email letters send (core/outbox.py) -----------------------------------------


def _letters(ids: list[int]) -> dict:
    return Letter.objects.select_related("action__campaign__organisation", "contact").in_bulk(ids)


def _build_confirmation(letter: Letter, row):
    if letter.confirmed_at is not None or not letter.supporter_email:
        return None  # confirmed or erased meanwhile
    return emails.build_confirmation_email(letter, reminder=bool(row.params.get("reminder")))


def _build_letter(letter: Letter, row):
    if letter.sent_at is not None or letter.confirmed_at is None or letter.text_deleted_at is not None:
        return None
    return emails.build_letter_email(letter)


def _digests(ids: list[int]) -> dict:
    return Digest.objects.select_related("contact").filter(sent_at__isnull=True).in_bulk(ids)


def _build_digest(digest: Digest, row):
    letters = [
        letter
        for letter in digest.letters.select_related("action__campaign__organisation", "contact").order_by("confirmed_at")
        if letter.text_deleted_at is None
    ]
    return emails.build_digest_email(digest, letters) if letters else None


def _to_writer(build):
    return lambda letter, row: build(letter, row) if letter.supporter_email else None


def _letters_sent(rows) -> None:
    record_sent(letter_ids=[row.object_id for row in rows])


def _digests_sent(rows) -> None:
    for row in rows:
        digest = Digest.objects.filter(pk=row.object_id).first()
        if digest is not None:
            record_sent(letter_ids=list(digest.letters.values_list("pk", flat=True)), digest=digest)


def _letters_refused(rows) -> None:
    """Refused for good or bounced: counted as sent (it left us), and handled as a bounce."""
    _letters_sent(rows)
    record_bounce(letter_ids=[row.object_id for row in rows])


def _digests_refused(rows) -> None:
    _digests_sent(rows)
    for row in rows:
        record_bounce(letter_ids=[], digest_id=row.object_id)


def _writers_language(letter, row) -> str:
    """Emails about a letter, and the letter itself, are in the language its writer wrote in."""
    return letter.language


for _kind in (
    # The writer has just asked for it; a stranger could type their address, so it is limited.
    outbox.EmailKind(name=emails.CONFIRMATION, load=_letters, build=_build_confirmation, transactional=True, limited=True, language=_writers_language),
    outbox.EmailKind(name=emails.LETTER, load=_letters, build=_build_letter, on_sent=_letters_sent, on_refused=_letters_refused, language=_writers_language),
    outbox.EmailKind(name=emails.DIGEST, load=_digests, build=_build_digest, on_sent=_digests_sent, on_refused=_digests_refused),
    outbox.EmailKind(
        name=emails.FOLLOWUP, load=_letters,
        build=_to_writer(lambda letter, row: emails.build_followup_email(letter, reminder=bool(row.params.get("reminder")))),
        language=_writers_language,
    ),
    outbox.EmailKind(name=emails.BOUNCE_NOTICE, load=_letters, build=_to_writer(lambda letter, row: emails.build_bounce_notice(letter)), language=_writers_language),
):
    outbox.register(_kind)


LETTER_SENT = webhook_events.register("letter.sent", "A supporter's letter was sent to its recipient (an MP or an institution).").name

# A supporter's letters on their own-data pages, downloaded and erased with everything else.
personal_data.register(
    personal_data.Source(
        name="letters",
        held_about=queries.letters_held_about,
        erase=lambda email: erase_letters_of(email_normalised=email),
        holders=queries.addresses_with_letters,
    )
)
