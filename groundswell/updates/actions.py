"""Every write to updates: consents, updates, sending, unsubscribing. Views, tasks, the outbox's
hooks and housekeeping call these; nothing else writes."""

import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.core import outbox
from groundswell.core.tasks import enqueue
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition
from groundswell.supporters import personal_data
from groundswell.supporters.email_addresses import normalise_email
from groundswell.updates import emails, queries, sending, tasks, tokens
from groundswell.updates.errors import UpdateRuleBroken
from groundswell.updates.models import CampaignOptOut, Consent, Delivery, Update, UpdatesSettings

logger = logging.getLogger("groundswell.updates")

Status = Update.Status


# -- consents ---------------------------------------------------------------------------------


def record_consent(
    *, organisation_id: int, email: str, name: str, constituency_code: str, statement_id: int, source: str,
    agreed_at=None, campaign_id: int | None = None,
) -> Consent | None:
    """A supporter agreed to hear from an organisation, in the words of `statement_id`.

    One current consent per person per organisation: agreeing again keeps the first record (its
    words and time) and refreshes the details we send with (address, name, constituency). An
    agreement older than the person's last withdrawal is not a new one (a signature made before
    they unsubscribed, confirmed after), so it changes nothing. Returns the current consent."""
    email_normalised = normalise_email(email)
    agreed_at = agreed_at or timezone.now()
    mine = Consent.objects.filter(organisation_id=organisation_id, email_normalised=email_normalised)
    if mine.filter(withdrawn_at__gte=agreed_at).exists():
        return None
    current = mine.filter(withdrawn_at__isnull=True).first()
    if current is None:
        try:
            with transaction.atomic():
                return Consent.objects.create(
                    organisation_id=organisation_id, email_normalised=email_normalised, email=email, name=name,
                    constituency_code=constituency_code, statement_id=statement_id, given_at=agreed_at, source=source,
                    given_for_campaign_id=campaign_id,
                )
        except IntegrityError:  # the same person at the same instant: the other one won
            current = mine.filter(withdrawn_at__isnull=True).first()
            if current is None:
                return None
    changes = {"email": email, "name": name or current.name, "constituency_code": constituency_code or current.constituency_code}
    Consent.objects.filter(pk=current.pk).update(**changes)
    for field, value in changes.items():
        setattr(current, field, value)
    return current


def record_signature_consent(signature) -> None:
    """petitions.actions.ON_CONFIRMED: a confirmed signature whose signer ticked "email me news"
    becomes (or refreshes) their consent. Runs inside the confirming transaction, in a savepoint,
    and never stops a confirmation: a failure here is logged."""
    if not signature.updates_consent_id or not signature.email:
        return
    try:
        with transaction.atomic():
            organisation_id, campaign_id = Petition.objects.filter(pk=signature.petition_id).values_list(
                "campaign__organisation_id", "campaign_id"
            ).get()
            record_consent(
                organisation_id=organisation_id, email=signature.email, name=signature.name,
                constituency_code=signature.constituency_code, statement_id=signature.updates_consent_id,
                source=Consent.Source.SIGNATURE, agreed_at=signature.created_at, campaign_id=campaign_id,
            )
    except Exception:
        logger.exception("Could not record the updates consent of signature %s", signature.pk)


def withdraw_consent(*, consent: Consent, how: str, delivery: Delivery | None = None) -> bool:
    """Stop every update from this organisation to this person, at once: the consent is marked
    withdrawn (when and how), and their queued copies are cancelled (an update sending now
    reaches them no further). Signatures are not touched. Returns False if already withdrawn."""
    now = timezone.now()
    with transaction.atomic():
        changed = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(withdrawn_at=now, withdrawn_how=how)
        if delivery is not None:
            Delivery.objects.filter(pk=delivery.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=now)
        sending.cancel_queued(sending.queued_for(consent))
    consent.withdrawn_at, consent.withdrawn_how = (now, how) if changed else (consent.withdrawn_at, consent.withdrawn_how)
    return bool(changed)


def leave_campaign(*, delivery: Delivery) -> bool:
    """"Not this campaign": no more updates about the delivery's campaign; others still come."""
    update = delivery.update
    if update.campaign_id is None:
        raise UpdateRuleBroken(_("This update is not about one campaign."))
    with transaction.atomic():
        _opt_out, created = CampaignOptOut.objects.get_or_create(
            organisation_id=update.organisation_id, campaign_id=update.campaign_id, email_normalised=delivery.email_normalised
        )
        Delivery.objects.filter(pk=delivery.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())
        sending.cancel_queued(
            Delivery.objects.filter(
                organisation_id=update.organisation_id, email_normalised=delivery.email_normalised, update__campaign_id=update.campaign_id
            )
        )
    return created


def erase_updates_data_of(email_normalised: str) -> int:
    """The supporter's request to delete their data: consents (current and withdrawn), their
    copies of updates and their campaign choices go; queued copies are cancelled first."""
    with transaction.atomic():
        mine = Delivery.objects.filter(email_normalised=email_normalised)
        sending.cancel_queued(mine)
        mine.delete()
        CampaignOptOut.objects.filter(email_normalised=email_normalised).delete()
        deleted, _counts = Consent.objects.filter(email_normalised=email_normalised).delete()
    return deleted


# -- organisers: settings, writing, sending --------------------------------------------------


def save_settings(*, organisation, reply_to: str, require_approval: bool) -> UpdatesSettings:
    with transaction.atomic():
        found, _created = UpdatesSettings.objects.update_or_create(
            organisation=organisation, defaults={"reply_to": reply_to, "require_approval": require_approval}
        )
    return found


def save_audience(*, form, user) -> Update:
    """Save a validated AudienceForm: a new draft, or a draft's audience changed."""
    with transaction.atomic():
        update = form.save(commit=False)
        if update.pk is None:
            update.created_by = user
        elif not Update.objects.filter(pk=update.pk, status__in=[Status.DRAFT, Status.AWAITING_APPROVAL]).exists():
            raise UpdateRuleBroken(_("This update is already scheduled or sent, so its audience cannot change."))
        update.status = Status.DRAFT  # a changed audience needs approving again
        update.approved_by = None
        update.save()
    return update


def save_content(*, form) -> Update:
    with transaction.atomic():
        if not Update.objects.filter(pk=form.instance.pk, status__in=[Status.DRAFT, Status.AWAITING_APPROVAL]).exists():
            raise UpdateRuleBroken(_("This update is already scheduled or sent, so it cannot be changed."))
        update = form.save(commit=False)
        update.status = Status.DRAFT
        update.approved_by = None
        update.save()
    return update


def send_test(*, update: Update, user) -> bool:
    """The exact email, with the organiser's first name and the defaults, to the organiser."""
    with transaction.atomic():
        return outbox.enqueue(emails.TEST, object_id=update.pk, recipient=user.email, params={"user": user.pk}).queued


def request_sending(*, update: Update, user, send_at=None) -> Update:
    """"Send now" (send_at None) or "send at". Where the organisation requires a second
    organiser's approval, the update waits for it; otherwise it is scheduled at once."""
    if not update.subject or not update.body_markdown:
        raise UpdateRuleBroken(_("Write a subject and a message before sending."))
    with transaction.atomic():
        locked = Update.objects.select_for_update().get(pk=update.pk)
        if locked.status not in (Status.DRAFT, Status.AWAITING_APPROVAL):
            raise UpdateRuleBroken(_("This update is already scheduled or sent."))
        locked.send_at = send_at
        if queries.settings_for(locked.organisation).require_approval:
            locked.status = Status.AWAITING_APPROVAL
            locked.save(update_fields=["status", "send_at", "updated_at"])
        else:
            _schedule(locked)
    return locked


def approve(*, update: Update, user) -> Update:
    """A second organiser approves: it is scheduled (a send time already past means now)."""
    with transaction.atomic():
        locked = Update.objects.select_for_update().get(pk=update.pk)
        if locked.status != Status.AWAITING_APPROVAL:
            raise UpdateRuleBroken(_("This update is not waiting for approval."))
        if locked.created_by_id == user.pk:
            raise UpdateRuleBroken(_("Another organiser must approve it: you wrote it."))
        locked.approved_by, locked.approved_at = user, timezone.now()
        _schedule(locked)
    return locked


def back_to_draft(*, update: Update) -> Update:
    """Stop a scheduled update, or one waiting for approval, so it can be changed."""
    with transaction.atomic():
        changed = Update.objects.filter(pk=update.pk, status__in=[Status.SCHEDULED, Status.AWAITING_APPROVAL]).update(
            status=Status.DRAFT, approved_by=None, approved_at=None
        )
        if not changed:
            raise UpdateRuleBroken(_("Only a scheduled update, or one waiting for approval, can go back to being a draft."))
    update.status = Status.DRAFT
    return update


def _schedule(update: Update) -> None:
    now = timezone.now()
    if update.send_at is None or update.send_at <= now:
        update.status, update.sending_started_at = Status.SENDING, now
        update.save()
        enqueue(tasks.queue_update, update.pk)
    else:
        update.status = Status.SCHEDULED
        update.save()
        enqueue(tasks.queue_update.using(run_after=update.send_at), update.pk)


def housekeeping() -> dict:
    """From composition.tasks.run_maintenance: start scheduled updates whose task was lost,
    finish queueing that died part way, and mark finished updates sent."""
    return {"update_deliveries_tidied": sending.tidy_sending()}


# -- the emails (core/outbox.py) -------------------------------------------------------------


def _load_updates(ids):
    return Update.objects.select_related("organisation__updates_settings", "campaign").in_bulk(ids)


def _build_test(update: Update, row):
    user = get_user_model().objects.filter(pk=row.params.get("user")).first()
    if user is None or not user.email:
        return None
    return emails.build_update_email(
        update, to=user.email, values=emails.sample_values(user), public_id=tokens.PREVIEW_ID,
        subject_prefix=emails.preview_subject_prefix(),
    )


def _complained(rows) -> None:
    now = timezone.now()
    deliveries = Delivery.objects.filter(pk__in=[row.object_id for row in rows]).select_related("consent")
    for delivery in deliveries:
        Delivery.objects.filter(pk=delivery.pk).update(complained_at=now)
        withdraw_consent(consent=delivery.consent, how=Consent.Withdrawal.COMPLAINT)


outbox.register(
    outbox.EmailKind(
        name=emails.UPDATE,
        load=sending.load_deliveries,
        build=sending.build_delivery,
        # Not transactional: a suppressed address (bounced, complained) gets no update.
        on_sent=sending.record_sent,
        on_refused=sending.record_refused,
        on_complaint=_complained,
    )
)
outbox.register(outbox.EmailKind(name=emails.TEST, load=_load_updates, build=_build_test, transactional=True))

petition_actions.ON_CONFIRMED.append(record_signature_consent)

personal_data.register(
    personal_data.Source(
        name="updates", held_about=queries.consents_held_about, erase=erase_updates_data_of, holders=queries.addresses_with_consents
    )
)
