from django.db import transaction

from groundswell.accounts import permissions
from groundswell.campaigns.models import Campaign, CampaignPartner
from groundswell.campaigns.queries import partners_cache_key
from groundswell.core.pagecache import forget_on_commit


@transaction.atomic
def save_campaign(*, form) -> Campaign:
    """Save a validated CampaignForm (new or edited)."""
    return form.save()


@transaction.atomic
def add_partner(*, campaign: Campaign, organisation, slug: str = "", by) -> CampaignPartner:
    """A campaign's organisers add a partner organisation (accounts/permissions.py EDIT)."""
    permissions.require(by, campaign.organisation_id, permissions.EDIT)
    if organisation.pk == campaign.organisation_id:
        raise ValueError("An organisation is not its own partner")
    forget_on_commit(partners_cache_key(campaign.pk))
    return CampaignPartner.objects.create(campaign=campaign, organisation=organisation, slug=slug or organisation.slug)


@transaction.atomic
def remove_partner(*, partner: CampaignPartner, by) -> None:
    """Removing a partner deletes its opt-ins with it: nobody may use them any more."""
    permissions.require(by, partner.campaign.organisation_id, permissions.EDIT)
    forget_on_commit(partners_cache_key(partner.campaign_id))
    partner.delete()
