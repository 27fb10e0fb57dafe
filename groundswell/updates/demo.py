"""The demo coalition's supporter updates: its opted-in supporters' consents and one update, sent
("Surrey Police and Surrey and Borders say they will look at our concerns: now write to your MP").

The made-up supporters are never emailed: the update's delivery rows are written as sent, and no
outbox row is made for them."""

from datetime import timedelta

from django.utils import timezone

from groundswell.accounts.models import Organisation
from groundswell.campaigns.models import Campaign
from groundswell.letters.models import LetterAction
from groundswell.petitions.models import Signature
from groundswell.updates.models import Consent, Delivery, Update

DEMO_SUBJECT = "Surrey Police and Surrey and Borders say they will look at our concerns: now write to your MP"
DEMO_BODY = """Dear {first_name},

Thank you for signing. Because thousands of you did, **Surrey Police** and **Surrey and Borders
Partnership NHS Foundation Trust** have both written to us: they say they will look at our
concerns about police officers in the care of people in mental-health crisis.

That is a start, not a promise. What they said, and when, is on our accountability ledger, and we
will hold them to it.

Now we need Parliament. Please write to {mp_name}, the MP for {constituency}: it takes five
minutes, and letters in your own words are the ones MPs read.

- Say who you are and why this matters to you
- Ask them to press for crisis care from health workers, not police
- Ask what they will do

Thank you,
the Crisis Care Coalition
"""


def load_demo_updates(*, organisation_slug: str, campaign_slug: str, organiser_email: str) -> None:
    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    campaign = Campaign.objects.filter(slug=campaign_slug).first()
    if organisation is None or campaign is None or Update.objects.filter(organisation=organisation, subject=DEMO_SUBJECT).exists():
        return
    now = timezone.now()
    opted_in = (
        Signature.objects.filter(petition__campaign=campaign, updates_consent__isnull=False, confirmed_at__isnull=False)
        .exclude(email="")
        .order_by("created_at")
    )
    seen, consents = set(), []
    for signature in opted_in:
        if signature.email_normalised in seen:
            continue
        seen.add(signature.email_normalised)
        consents.append(
            Consent(
                organisation=organisation, email_normalised=signature.email_normalised, email=signature.email,
                name=signature.name, constituency_code=signature.constituency_code, statement_id=signature.updates_consent_id,
                given_at=signature.created_at, source=Consent.Source.SIGNATURE, given_for_campaign=campaign,
            )
        )
    consents = Consent.objects.bulk_create(consents, batch_size=500)
    organiser = organisation.memberships.filter(user__email=organiser_email).select_related("user").first()
    action = LetterAction.objects.filter(campaign=campaign, recipient_kind=LetterAction.RecipientKind.MP).first()
    sent_at = now - timedelta(days=3)
    update = Update.objects.create(
        organisation=organisation, campaign=campaign, subject=DEMO_SUBJECT, body_markdown=DEMO_BODY,
        call_to_action=f"letters:{action.pk}" if action else "", status=Update.Status.SENT,
        created_by=organiser.user if organiser else None, created_at=sent_at - timedelta(hours=2),
        sending_started_at=sent_at, queueing_finished_at=sent_at, sent_at=sent_at + timedelta(minutes=4),
        queued_count=len(consents), queued_through_consent=max((c.pk for c in consents), default=0),
    )
    deliveries = [
        Delivery(update=update, organisation=organisation, consent=consent, email_normalised=consent.email_normalised,
                 state=Delivery.State.SENT, created_at=sent_at, sent_at=sent_at + timedelta(seconds=i % 240))
        for i, consent in enumerate(consents)
    ]
    Delivery.objects.bulk_create(deliveries, batch_size=500)
    # A few honest figures: one address bounced, two people unsubscribed from the update.
    if len(consents) > 10:
        Delivery.objects.filter(update=update, consent=consents[3]).update(state=Delivery.State.BOUNCED, bounced_at=sent_at + timedelta(minutes=9))
        for consent in consents[7:9]:
            Consent.objects.filter(pk=consent.pk).update(withdrawn_at=sent_at + timedelta(hours=5), withdrawn_how=Consent.Withdrawal.UNSUBSCRIBE_PAGE)
            Delivery.objects.filter(update=update, consent=consent).update(unsubscribed_at=sent_at + timedelta(hours=5))
