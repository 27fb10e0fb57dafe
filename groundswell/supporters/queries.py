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


def signature_of(email_normalised: str, public_id) -> Signature | None:
    """One of the person's own signatures (the withdraw question names its petition)."""
    return (
        Signature.objects.filter(email_normalised=email_normalised, public_id=public_id)
        .select_related("petition__campaign__organisation")
        .first()
    )


def constituency_names(codes) -> dict[str, str]:
    """Names for ONS constituency codes, from the active boundary set if it has the code, else
    from the newest set that does (a signature made before a boundary review keeps its name)."""
    from groundswell.geography.models import Constituency

    names = {}
    rows = (
        Constituency.objects.filter(gss_code__in={c for c in codes if c})
        .order_by("boundary_set__is_active", "boundary_set__created_at")
        .values_list("gss_code", "name")
    )
    for code, name in rows:  # the best set comes last and wins
        names[code] = name
    return names


def data_held_about(email_normalised: str) -> dict:
    """Everything held about the person, as the page shows it and the JSON download carries it.
    Codes (country, constituency) come with their names: the page shows the names."""
    signatures = []
    held = signatures_of(email_normalised)
    names = constituency_names(s.constituency_code for s in held)
    for s in held:
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
                "country_name": str(s.country.name),
                "constituency_code": s.constituency_code,
                "constituency_name": names.get(s.constituency_code, ""),
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
