"""Which supporters an organisation may see, written once: the export, the partner pages and the
API (groundswell/api) all ask here.

- The campaign's own organisation sees the signers of its petitions who said yes to hearing
  from it (`Signature.updates_consent`), with those words.
- A partner organisation sees the signers who ticked *its* box (`PartnerOptIn`), with those words,
  and nobody else, whatever id or token is tried; it sees the counts of everyone.

Only signatures that count (`COUNTED`: confirmed and not held back) and are not anonymised are
supporters here: an unconfirmed address proves nobody's yes.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q

from groundswell.campaigns.models import CampaignPartner
from groundswell.petitions.models import COUNTED, PartnerOptIn, Signature


@dataclass(frozen=True)
class Supporter:
    signature: Signature
    consent_text: str
    consent_given_at: datetime
    consent_kind: str  # "organisation" or "partner"


def _live():
    return Signature.objects.filter(COUNTED, anonymised_at__isnull=True)


def own_supporters(organisation_id: int):
    """Signatures of the organisation's own petitions whose signer opted in to hear from it."""
    return (
        _live()
        .filter(petition__campaign__organisation_id=organisation_id, updates_consent__isnull=False)
        .select_related("petition", "updates_consent")
        .order_by("pk")
    )


def partner_supporters(partner_ids):
    """Signatures whose signer ticked the box of one of these partnerships."""
    return (
        _live()
        .filter(Exists(PartnerOptIn.objects.filter(signature=OuterRef("pk"), partner_id__in=list(partner_ids))))
        .select_related("petition")
        .order_by("pk")
    )


def partnerships_of(organisation_id: int):
    return CampaignPartner.objects.filter(organisation_id=organisation_id).select_related("campaign", "organisation")


def visible_supporters(organisation_id: int):
    """Every signature this organisation may see: its own opted-in signers, and the signers who
    ticked the box of any campaign it is a partner of."""
    partner_ids = list(partnerships_of(organisation_id).values_list("pk", flat=True))
    opted_in_to_partner = Exists(PartnerOptIn.objects.filter(signature=OuterRef("pk"), partner_id__in=partner_ids))
    return (
        _live()
        .filter(Q(petition__campaign__organisation_id=organisation_id, updates_consent__isnull=False) | opted_in_to_partner)
        .select_related("petition__campaign", "updates_consent")
        .order_by("pk")
    )


def consent_for(signature: Signature, organisation_id: int) -> tuple[str, datetime, str]:
    """(the words, when, "organisation" | "partner") of the yes that lets this organisation see
    this signature. Call only for signatures from `visible_supporters(organisation_id)`."""
    if signature.updates_consent_id and signature.petition.campaign.organisation_id == organisation_id:
        return signature.updates_consent.text, signature.confirmed_at or signature.created_at, "organisation"
    opt_in = (
        PartnerOptIn.objects.filter(signature=signature, partner__organisation_id=organisation_id)
        .select_related("consent")
        .first()
    )
    return opt_in.consent.text, opt_in.created_at, "partner"


def own_rows(organisation_id: int):
    """(signature, consent words, when) for the organisation's export, in constant memory."""
    for signature in own_supporters(organisation_id).iterator(chunk_size=2000):
        yield signature, signature.updates_consent.text, signature.confirmed_at or signature.created_at


def partner_rows(partner: CampaignPartner):
    """(signature, consent words, when) for a partner's export, in constant memory."""
    opt_ins = (
        PartnerOptIn.objects.filter(COUNTED_OPT_IN, partner=partner, signature__anonymised_at__isnull=True)
        .select_related("signature__petition", "consent")
        .order_by("pk")
    )
    for opt_in in opt_ins.iterator(chunk_size=2000):
        yield opt_in.signature, opt_in.consent.text, opt_in.created_at


COUNTED_OPT_IN = Q(signature__confirmed_at__isnull=False, signature__flagged_reason="")


def partner_supporter_count(partner: CampaignPartner) -> int:
    return PartnerOptIn.objects.filter(COUNTED_OPT_IN, partner=partner, signature__anonymised_at__isnull=True).count()


def figures_by_source(campaign) -> list[tuple[str, int]]:
    """Counted signatures of a campaign's petitions by the partner link they came by (for
    everyone with a role in the campaign or as a partner: counts name nobody)."""
    rows = (
        Signature.objects.filter(COUNTED, petition__campaign=campaign)
        .values("source_partner__organisation__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return [(row["source_partner__organisation__name"] or "", row["n"]) for row in rows]


def campaign_total(campaign) -> int:
    return Signature.objects.filter(COUNTED, petition__campaign=campaign).count()
