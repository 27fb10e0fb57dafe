from groundswell.campaigns.models import Campaign, CampaignPartner
from groundswell.core.pagecache import briefly_cached


def list_public_campaigns():
    return Campaign.objects.filter(is_public=True).select_related("organisation").order_by("-created_at")


def campaigns_for_organisations(organisations):
    return (
        Campaign.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related("petitions")
        .order_by("organisation__name", "-created_at")
    )


def partners_of(campaign):
    return CampaignPartner.objects.filter(campaign=campaign).select_related("organisation")


def partners_cache_key(campaign_id: int) -> str:
    return f"campaign-partners:{campaign_id}"


def cached_partners_of(campaign) -> list:
    """The partners, for the public petition page and its sign form: read once per request, and
    briefly cached (core/pagecache.py); adding or removing a partner forgets it on commit."""
    return briefly_cached(key=partners_cache_key(campaign.pk), build=lambda: list(partners_of(campaign)))
