"""Every write to the ledger. Views and tasks call these; nothing else writes.

Each save records who made it: django-simple-history reads `_history_user` from the instance, so
the organisers' history page can show who changed what, and when.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from groundswell.accounts.models import Organisation
from groundswell.core import outbox
from groundswell.ledger import emails
from groundswell.ledger.errors import LedgerRuleBroken
from groundswell.ledger.models import Ask, Commitment, Reminder, Response, Target
from groundswell.ledger.pack import PackEntry


def _save(instance, user, reason: str = ""):
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance


@transaction.atomic
def save_target(*, form, user) -> Target:
    """Save a validated TargetForm (new or edited)."""
    return _save(form.save(commit=False), user)


@transaction.atomic
def add_target_from_pack(*, organisation, entry: PackEntry, user) -> tuple[Target, bool]:
    """Add an NHS trust or police force from the geography pack; returns (target, created).

    If the organisation already has it (same code, or same name), that target is returned.
    """
    existing = Target.objects.filter(organisation=organisation, kind=entry.kind, reference_code=entry.code).first()
    existing = existing or Target.objects.filter(organisation=organisation, name__iexact=entry.name).first()
    if existing:
        return existing, False
    target = Target(organisation=organisation, name=entry.name, kind=entry.kind, reference_code=entry.code)
    return _save(target, user, "Added from the UK geography pack"), True


@transaction.atomic
def save_ask(*, form, target: Target, user) -> Ask:
    ask = form.save(commit=False)
    ask.target = target
    if ask.campaign.organisation_id != target.organisation_id:
        raise LedgerRuleBroken("A campaign can only ask targets of its own organisation.")
    return _save(ask, user)


@transaction.atomic
def record_ask(*, campaign, target: Target, text: str, channel: str, asked_on=None, user=None, reason: str = "") -> Ask:
    """An ask made by something other than an organiser's form (a petition reaching a threshold,
    groundswell/handin): saved as any ask, with its history."""
    if campaign.organisation_id != target.organisation_id:
        raise LedgerRuleBroken("A campaign can only ask targets of its own organisation.")
    ask = Ask(campaign=campaign, target=target, text=text, channel=channel, asked_on=asked_on or timezone.localdate())
    return _save(ask, user, reason)


@transaction.atomic
def save_response(*, form, ask: Ask, user) -> Response:
    response = form.save(commit=False)
    response.ask = ask
    return _save(response, user)


@transaction.atomic
def save_commitment(*, form, response: Response, user) -> Commitment:
    commitment = form.save(commit=False)
    commitment.response = response
    return _save(commitment, user)


# --- Reminders ------------------------------------------------------------------------------


def queue_ledger_reminders(*, today=None) -> int:
    """Note every newly overdue commitment and every newly silent ask, and queue a digest for
    each organisation that has reminders not yet sent. Returns how many reminders were noted.

    Safe to run as often as the worker likes: the unique constraints on Reminder mean each
    commitment and each ask is reminded about once, ever.
    """
    today = today or timezone.localdate()
    silent_since = today - timedelta(days=settings.LEDGER_SILENCE_REMINDER_DAYS)
    created = 0
    with transaction.atomic():
        overdue = (
            Commitment.objects.filter(status=Commitment.Status.PENDING, due_on__lt=today)
            .exclude(reminders__kind=Reminder.Kind.OVERDUE_COMMITMENT)
            .values_list("pk", "response__ask__target__organisation_id")
        )
        silent = (
            Ask.objects.filter(asked_on__lte=silent_since, responses__isnull=True)
            .exclude(reminders__kind=Reminder.Kind.SILENT_TARGET)
            .values_list("pk", "target__organisation_id")
        )
        rows = [Reminder(kind=Reminder.Kind.OVERDUE_COMMITMENT, commitment_id=pk, organisation_id=org) for pk, org in overdue]
        rows += [Reminder(kind=Reminder.Kind.SILENT_TARGET, ask_id=pk, organisation_id=org) for pk, org in silent]
        for row in rows:
            try:
                with transaction.atomic():  # another worker may have noted it a moment ago
                    row.save()
                created += 1
            except IntegrityError:
                pass
        organisations = set(
            Reminder.objects.filter(sent_at__isnull=True, batch="").values_list("organisation_id", flat=True).distinct()
        )
        for organisation_id in sorted(organisations):
            _queue_digest(organisation_id)
    return created


def _queue_digest(organisation_id: int) -> None:
    """One digest email per organiser, all about one batch of reminders (sent once any is sent)."""
    batch = claim_unsent_reminders(organisation_id=organisation_id)
    organisers = emails.organisers_of(organisation_id)
    if not organisers:
        mark_reminders_sent(batch=batch)  # nobody to tell
    for user_id, address in organisers:
        outbox.enqueue(emails.DIGEST, object_id=organisation_id, recipient=address, params={"batch": batch, "user": user_id})


def claim_unsent_reminders(*, organisation_id: int) -> str:
    """Mark this organisation's unsent reminders as one batch; only one digest can claim a row."""
    batch = uuid.uuid4().hex
    with transaction.atomic():
        Reminder.objects.filter(organisation_id=organisation_id, sent_at__isnull=True, batch="").update(batch=batch)
    return batch


def mark_reminders_sent(*, batch: str) -> None:
    Reminder.objects.filter(batch=batch, sent_at__isnull=True).update(sent_at=timezone.now())


def _digests_sent(rows) -> None:
    for row in rows:
        mark_reminders_sent(batch=row.params.get("batch", ""))


def _build_digest(organisation, row):
    reminders = list(
        Reminder.objects.filter(batch=row.params.get("batch", "")).select_related(
            "commitment__response__ask__target", "commitment__response__ask__campaign", "ask__target", "ask__campaign"
        )
    )
    return emails.build_digest(organisation, reminders, user_id=row.params.get("user")) if reminders else None


outbox.register(
    outbox.EmailKind(
        name=emails.DIGEST,
        load=lambda ids: Organisation.objects.in_bulk(ids),
        build=_build_digest,
        on_sent=_digests_sent,
    )
)

