from groundswell.campaigns.models import Campaign


def list_public_campaigns():
    return Campaign.objects.filter(is_public=True).select_related("organisation").order_by("-created_at")


def campaigns_for_organisations(organisations):
    return (
        Campaign.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related("petitions")
        .order_by("organisation__name", "-created_at")
    )
