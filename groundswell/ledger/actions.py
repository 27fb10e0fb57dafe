"""Every write to the ledger. Views and tasks call these; nothing else writes.

Each save records who made it: django-simple-history reads `_history_user` from the instance, so
the organisers' history page can show who changed what, and when.
"""

import re
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from groundswell.accounts.models import Organisation
from groundswell.core import inbound, outbox
from groundswell.ledger import clock, emails, queries, tokens
from groundswell.ledger.errors import LedgerRuleBroken
from groundswell.ledger.models import (
    Ask, AskBatch, ChaseSettings, Commitment, FollowUp, InstitutionReply, Reminder, ReplyAttachment, Response, Target,
    TargetGroup,
)
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
    target = Target(organisation=organisation, name=entry.name, kind=entry.kind, reference_code=entry.code,
                    nation=entry.nation, region=entry.region)
    return _save(target, user, "Added from the UK geography pack"), True


@transaction.atomic
def add_targets_from_pack(*, organisation, entries, user) -> int:
    """Add several pack entries at once (every police force, every trust of a region); returns
    how many were new."""
    return sum(1 for entry in entries if add_target_from_pack(organisation=organisation, entry=entry, user=user)[1])


@transaction.atomic
def save_ask(*, form, target: Target, user) -> Ask:
    ask = form.save(commit=False)
    ask.target = target
    if ask.campaign.organisation_id != target.organisation_id:
        raise LedgerRuleBroken(_("A campaign can only ask targets of its own organisation."))
    if ask.sent_at is None:  # a recorded ask: its due date follows what the organiser says now
        ask.due_on = clock.due_date(kind=ask.kind, asked_on=ask.asked_on, nation=target.nation, deadline_on=ask.deadline_on)
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



# --- Asks sent from the platform --------------------------------------------------------------


@transaction.atomic
def send_ask_batch(*, campaign, targets, kind: str, subject: str, text: str, user, deadline_on=None,
                   deadline_days: int | None = None, today=None) -> AskBatch:
    """One ask to each target, each its own thread (an Ask with its own link and reply
    address), sent through the outbox. The due date is counted by the legal clock for each
    target's nation."""
    today = today or timezone.localdate()
    targets = list(targets)
    if not targets:
        raise LedgerRuleBroken(_("Choose at least one target."))
    for target in targets:
        if target.organisation_id != campaign.organisation_id:
            raise LedgerRuleBroken(_("A campaign can only ask targets of its own organisation."))
        if not target.contact_email:
            raise LedgerRuleBroken(_("%(target)s has no contact email.") % {"target": target.name})
    batch = AskBatch.objects.create(campaign=campaign, subject=subject, created_by=user)
    for target in targets:
        ask = Ask(
            campaign=campaign, target=target, asked_on=today, channel="email", text=text, kind=kind,
            subject=subject, deadline_on=deadline_on, batch=batch, sent_at=timezone.now(), sent_by=user,
            due_on=clock.due_date(kind=kind, asked_on=today, nation=target.nation, working_days=deadline_days,
                                  deadline_on=deadline_on),
        )
        _save(ask, user, "Sent from the platform")
        outbox.enqueue(emails.ASK, object_id=ask.pk, recipient=target.contact_email)
    return batch


@transaction.atomic
def save_target_group(*, organisation, name: str, targets) -> TargetGroup:
    group, _ = TargetGroup.objects.get_or_create(organisation=organisation, name=name)
    group.targets.set([t for t in targets if t.organisation_id == organisation.pk])
    return group


@transaction.atomic
def save_chase_settings(*, form) -> ChaseSettings:
    return form.save()


def _is_answered(ask: Ask) -> bool:
    return ask.responses.exists() or ask.institution_replies.exclude(state=InstitutionReply.State.SET_ASIDE).exists()


def queue_ledger_chasers(*, today=None) -> int:
    """Send the chasers that are due today: the first the working day after the due date (a
    campaign ask without one: after the campaign's set number of working days), then one every
    interval (a week) up to the campaign's most, each on a working day of the target's nation.
    An ask with any answer, even a draft not yet published, is never chased. Returns how many."""
    today = today or timezone.localdate()
    sent = 0
    asks = (
        Ask.objects.filter(sent_at__isnull=False, responses__isnull=True)
        .exclude(institution_replies__state__in=[InstitutionReply.State.DRAFT, InstitutionReply.State.PUBLISHED])
        .select_related("target", "campaign").distinct()
    )
    for ask in asks:
        rules = queries.chase_settings_for(ask.campaign)
        if not rules.enabled or not ask.target.contact_email:
            continue
        chasers = list(ask.follow_ups.filter(kind=FollowUp.Kind.CHASER).order_by("number"))
        if len(chasers) >= rules.max_chasers:
            continue
        due = queries.next_chaser_on(ask, chasers=chasers, rules=rules)
        if due is None or due > today or outbox.is_waiting(emails.CHASER, object_id=ask.pk):
            continue  # not due, or the last chaser has not even gone yet
        with transaction.atomic():
            ask = Ask.objects.select_for_update().get(pk=ask.pk)
            if _is_answered(ask):
                continue
            try:
                with transaction.atomic():
                    FollowUp.objects.create(ask=ask, kind=FollowUp.Kind.CHASER, number=len(chasers) + 1, sent_on=today)
            except IntegrityError:  # another worker sent it a moment ago
                continue
            outbox.enqueue(emails.CHASER, object_id=ask.pk, recipient=ask.target.contact_email,
                           params={"number": len(chasers) + 1})
            sent += 1
    return sent


@transaction.atomic
def send_internal_review(*, ask: Ask, user, today=None) -> FollowUp:
    """The organiser asks an overdue FOI request's authority for an internal review."""
    today = today or timezone.localdate()
    if ask.kind != Ask.Kind.FOI or ask.sent_at is None or not ask.target.contact_email:
        raise LedgerRuleBroken(_("Only a freedom of information request sent from the platform can be reviewed."))
    if ask.follow_ups.filter(kind=FollowUp.Kind.INTERNAL_REVIEW).exists():
        raise LedgerRuleBroken(_("An internal review has already been requested."))
    follow_up = FollowUp.objects.create(ask=ask, kind=FollowUp.Kind.INTERNAL_REVIEW, number=1, sent_on=today, created_by=user)
    outbox.enqueue(emails.INTERNAL_REVIEW, object_id=ask.pk, recipient=ask.target.contact_email)
    return follow_up


# --- The institution answers ------------------------------------------------------------------

MAX_DRAFTS_PER_ASK = 20  # a leaked link cannot fill the organisers' queue


@transaction.atomic
def receive_answer_by_link(*, ask: Ask, text: str, commitment: str = "", commitment_due_on=None, document=None) -> InstitutionReply:
    """The institution answered through its private link: a draft, never public by itself."""
    if ask.institution_replies.count() >= MAX_DRAFTS_PER_ASK:
        raise LedgerRuleBroken(_("This request has had as many answers through its link as it can take."))
    reply = InstitutionReply.objects.create(
        ask=ask, via=InstitutionReply.Via.LINK, text=text, commitment=commitment, commitment_due_on=commitment_due_on,
    )
    if document is not None:
        ReplyAttachment.objects.create(
            reply=reply, file=document, filename=PurePath(document.name).name[:200], content_type="application/pdf",
            size=document.size,
        )
    return reply


def _text_of(message) -> str:
    try:
        body = message.get_body(preferencelist=("plain", "html"))
        if body is None:
            return ""
        content = body.get_content()
        return strip_tags(content) if body.get_content_type() == "text/html" else content
    except Exception:  # an unknown charset or a broken part: the original is kept anyway
        return ""


def _attachments_of(message):
    for part in message.iter_attachments():
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            payload = None
        if payload:
            name = re.sub(r"[^\w. -]", "_", PurePath(part.get_filename() or "attachment").name)[:200]
            yield name, part.get_content_type()[:100], payload


def receive_reply_email(*, message, raw: bytes, token: str, recipient: str) -> str:
    """An institution replied to an ask's email (core/inbound.py calls this for answer+…
    addresses): a draft for organisers, with the original and its attachments kept."""
    ask_id = tokens.ask_id_from_reply_token(token)
    ask = Ask.objects.filter(pk=ask_id).select_related("target").first() if ask_id else None
    if ask is None:
        raise inbound.Unmatched("the reply address names no ask (forged, or the ask was deleted)")
    message_id = " ".join(str(message.get("Message-ID", "") or "").split())[:300]
    if message_id and InstitutionReply.objects.filter(ask=ask, message_id=message_id).exists():
        return f"ignored: this reply to ask {ask.pk} was already received (the same Message-ID)"
    reply = InstitutionReply(
        ask=ask, via=InstitutionReply.Via.EMAIL, text=_text_of(message)[:100_000], message_id=message_id,
        sender=" ".join(str(message.get("From", "")).split())[:300],
        subject=" ".join(str(message.get("Subject", "")).split())[:300],
    )
    reply.original.save("reply.eml", ContentFile(raw), save=False)
    reply.save()
    count = 0
    for name, content_type, payload in _attachments_of(message):
        attachment = ReplyAttachment(reply=reply, filename=name, content_type=content_type, size=len(payload))
        attachment.file.save(name, ContentFile(payload), save=False)
        attachment.save()
        count += 1
    return f"recorded: a reply to ask {ask.pk} from {ask.target.name}, with {count} attachment(s), as a draft for organisers"


@transaction.atomic
def publish_reply(*, reply: InstitutionReply, classification: str, summary: str, user, promise: str = "",
                  due_on=None, publish_document: bool = False) -> Response:
    """An organiser classifies an institution's answer and publishes it: a Response marked as
    from the institution, dated the day it came, with its original kept on the reply."""
    reply = InstitutionReply.objects.select_for_update().get(pk=reply.pk)
    if reply.state != InstitutionReply.State.DRAFT:
        raise LedgerRuleBroken(_("This answer has already been dealt with."))
    response = Response(
        ask=reply.ask, received_on=timezone.localdate(reply.received_at), channel="email", summary=summary,
        classification=classification, from_institution=True,
    )
    if publish_document:
        pdf = next((a for a in reply.attachments.all() if a.is_pdf), None)
        if pdf is not None:
            with pdf.file.open("rb") as handle:
                response.document.save("answer.pdf", ContentFile(handle.read()), save=False)
    _save(response, user, "Answer received from the institution")
    if promise:
        _save(Commitment(response=response, promise=promise, due_on=due_on), user, "Promised in the institution's answer")
    reply.state = InstitutionReply.State.PUBLISHED
    reply.response = response
    reply.save(update_fields=["state", "response"])
    return response


@transaction.atomic
def set_reply_aside(*, reply: InstitutionReply, user) -> None:
    InstitutionReply.objects.filter(pk=reply.pk, state=InstitutionReply.State.DRAFT).update(state=InstitutionReply.State.SET_ASIDE)


def _load_asks(ids):
    return Ask.objects.select_related("target", "campaign__organisation", "sent_by").in_bulk(ids)


def _build(kind):
    def build(ask, row):
        lines = queries.ask_support_lines(ask.campaign, ask.target)
        return emails.build_ask_email(ask, kind=kind, number=row.params.get("number", 0), support_lines=lines)
    return build


for _kind in (emails.ASK, emails.CHASER, emails.INTERNAL_REVIEW):
    outbox.register(outbox.EmailKind(name=_kind, load=_load_asks, build=_build(_kind)))

inbound.register(tokens.REPLY_PREFIX, receive_reply_email)
