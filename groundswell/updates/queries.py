"""Reads for updates: who an audience holds (only current consents, only the organisation's own),
an update's figures, and what a supporter's own-data page shows."""

from datetime import timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone

from groundswell.accounts.queries import editable_organisations_for, organisations_for
from groundswell.geography.models import Constituency
from groundswell.letters.models import Letter, LetterAction
from groundswell.petitions.models import Petition, Signature
from groundswell.updates.models import CampaignOptOut, Consent, Delivery, Update, UpdatesSettings


def current_consents(organisation_id: int):
    return Consent.objects.filter(organisation_id=organisation_id, withdrawn_at__isnull=True)


def constituencies_mp_not_replied(organisation_id: int) -> list[str]:
    """Constituencies whose MP has not replied to any of the letters this organisation's
    supporters sent them, as the writers told us in the follow-up ("Did you get a reply?"):
    at least one letter sent, no answer saying there was a reply."""
    letters = Letter.objects.filter(
        action__campaign__organisation_id=organisation_id,
        action__recipient_kind=LetterAction.RecipientKind.MP,
        sent_at__isnull=False,
    ).exclude(constituency_code="")
    replied = set(letters.filter(answer__in=Letter.RESPONDED).values_list("constituency_code", flat=True))
    written = set(letters.values_list("constituency_code", flat=True))
    return sorted(written - replied)


def audience(update: Update):
    """The consents an update goes to, as a queryset ordered by id: current consents of the
    update's organisation, narrowed by its campaign (people who signed one of its petitions and
    have not left it), petition, nation, constituency and "MP has not replied". One row per
    person: consents are one current row per person per organisation."""
    consents = current_consents(update.organisation_id)
    confirmed = Signature.objects.filter(confirmed_at__isnull=False, email_normalised=OuterRef("email_normalised"))
    if update.campaign_id:
        consents = consents.filter(
            Q(given_for_campaign_id=update.campaign_id) | Exists(confirmed.filter(petition__campaign_id=update.campaign_id))
        ).exclude(
            Exists(CampaignOptOut.objects.filter(campaign_id=update.campaign_id, email_normalised=OuterRef("email_normalised")))
        )
    if update.audience_petition_id:
        consents = consents.filter(Exists(confirmed.filter(petition_id=update.audience_petition_id)))
    if update.audience_constituency:
        consents = consents.filter(constituency_code=update.audience_constituency)
    if update.audience_nation:
        codes = Constituency.objects.filter(boundary_set__is_active=True, nation=update.audience_nation).values("gss_code")
        consents = consents.filter(constituency_code__in=codes)
    if update.audience_mp_not_replied:
        consents = consents.filter(constituency_code__in=constituencies_mp_not_replied(update.organisation_id))
    return consents.order_by("pk")


def audience_size(update: Update) -> int:
    return audience(update).count()


def settings_for(organisation) -> UpdatesSettings:
    found = UpdatesSettings.objects.filter(organisation=organisation).first()
    return found or UpdatesSettings(organisation=organisation)


def updates_for(user):
    """Updates an organiser may see: their organisations' only."""
    return Update.objects.filter(organisation__in=organisations_for(user)).select_related("organisation", "campaign")


def editable_updates_for(user):
    return Update.objects.filter(organisation__in=editable_organisations_for(user)).select_related("organisation", "campaign")


def organisation_petitions(organisation_id: int):
    return Petition.objects.filter(campaign__organisation_id=organisation_id).select_related("campaign")


def recent_deliveries(organisation_id: int, emails: list[str], *, now=None) -> dict[str, int]:
    """How many updates from this organisation each of these people had in the last week."""
    since = (now or timezone.now()) - timedelta(days=7)
    rows = (
        Delivery.objects.filter(organisation_id=organisation_id, email_normalised__in=emails, created_at__gte=since)
        .exclude(state=Delivery.State.CANCELLED)
        .values("email_normalised")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["email_normalised"]: row["n"] for row in rows}


def recent_deliveries_subquery(organisation_id: int, *, now=None):
    """For annotating consents: how many updates from this organisation the person had in the
    last week (the frequency cap), an index lookup per consent."""
    since = (now or timezone.now()) - timedelta(days=7)
    recent = (
        Delivery.objects.filter(organisation_id=organisation_id, email_normalised=OuterRef("email_normalised"), created_at__gte=since)
        .exclude(state=Delivery.State.CANCELLED)
        .order_by()
        .values("email_normalised")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(recent, output_field=IntegerField())


def figures(update: Update) -> dict:
    """Honest figures: what the mail server accepted, what came back, who left. No opens, no clicks."""
    counts = update.deliveries.aggregate(
        recipients=Count("pk"),
        queued=Count("pk", filter=Q(state=Delivery.State.QUEUED)),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
        suppressed=Count("pk", filter=Q(state=Delivery.State.SUPPRESSED)),
        cancelled=Count("pk", filter=Q(state=Delivery.State.CANCELLED)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
        complained=Count("pk", filter=Q(complained_at__isnull=False)),
    )
    counts["skipped_for_cap"] = update.skipped_for_cap
    return counts


def addresses_with_consents(emails_normalised: set[str]) -> set[str]:
    """Of these addresses, those with any updates consent, current or withdrawn (the data-link
    email asks, for a batch)."""
    return set(Consent.objects.filter(email_normalised__in=emails_normalised).values_list("email_normalised", flat=True).distinct())


def consents_held_about(email_normalised: str) -> list[dict]:
    """A supporter's updates consents, current and withdrawn, for their own-data page."""
    rows = (
        Consent.objects.filter(email_normalised=email_normalised)
        .select_related("organisation", "statement", "given_for_campaign")
        .order_by("given_at")
    )
    held = []
    for consent in rows:
        held.append(
            {
                "id": str(consent.public_id),
                "organisation": consent.organisation.name,
                "email": consent.email,
                "name": consent.name,
                "constituency_code": consent.constituency_code,
                "words": consent.statement.text,
                "given_at": consent.given_at.isoformat(),
                "given_by": consent.get_source_display(),
                "given_for_campaign": consent.given_for_campaign.title if consent.given_for_campaign else "",
                "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
                "withdrawn_how": consent.get_withdrawn_how_display() if consent.withdrawn_how else "",
                "updates_received": consent.deliveries.filter(sent_at__isnull=False).count(),
            }
        )
    return held
