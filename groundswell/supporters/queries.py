"""What Groundswell holds about one supporter, found by their normalised email address."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from groundswell.petitions.models import Signature


def signatures_of(email_normalised: str):
    return list(
        Signature.objects.filter(email_normalised=email_normalised)
        .select_related("petition__campaign__organisation", "consent", "updates_consent")
        .order_by("created_at")
    )


def _consents(signature) -> list[dict]:
    consents = []
    for statement in (signature.consent, signature.updates_consent):
        if statement is not None:
            consents.append(
                {"purpose": statement.get_purpose_display(), "text": statement.text, "agreed_at": signature.created_at.isoformat()}
            )
    return consents


def data_held_about(email_normalised: str) -> dict:
    """Everything held about the person, as the page shows it and the JSON download carries it."""
    signatures = []
    for s in signatures_of(email_normalised):
        petition = s.petition
        signatures.append(
            {
                "id": str(s.public_id),
                "petition": petition.title,
                "petition_url": f"{settings.SITE_URL}{reverse('petitions:detail', args=[petition.slug])}",
                "organisation": petition.campaign.organisation.name,
                "name": s.name,
                "email": s.email,
                "postcode": s.postcode,
                "country": str(s.country),
                "constituency_code": s.constituency_code,
                "signed_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                "ip_address": s.ip_address,
                "ip_network": s.ip_network,
                "consents": _consents(s),
            }
        )
    return {
        "generated_at": timezone.now().isoformat(),
        "email_address_searched_for": email_normalised,
        "signatures": signatures,
        "letters": _letters(email_normalised),
        "note": "Groundswell keeps no account, profile or tracking data about supporters: this is everything.",
    }


def _letters(email_normalised: str) -> list[dict]:
    """Letters to MPs and institutions written with this address (groundswell/letters)."""
    from groundswell.letters.queries import letters_held_about

    return letters_held_about(email_normalised)
