"""The pages that show every feature at once: the home page, a campaign's public page (its
petitions, letter actions and ledger) and the organisers' dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from groundswell.accounts import permissions
from groundswell.accounts.queries import editable_organisations_for, organisations_for
from groundswell.campaigns.models import Campaign
from groundswell.campaigns.queries import campaigns_for_organisations, list_public_campaigns, partners_of
from groundswell.core.pagecache import anonymous_page
from groundswell.events.queries import upcoming_for_campaign
from groundswell.ledger.views import ledger_context
from groundswell.letters.queries import actions_for_campaign
from groundswell.petitions.partners import partnerships_for
from groundswell.petitions.queries import count_signatures_for_petitions, list_public_petitions, open_petitions

HOME_PETITIONS = 5


def home(request):
    """Open petitions (the most signed, then the newest of the rest) and the public campaigns.

    The same for every anonymous visitor, so served from the page cache: a petition opened or
    closed shows within PUBLIC_PAGE_CACHE_SECONDS.
    """
    return anonymous_page(request, key="home", render=lambda extra: _home_page(request, extra))


def _home_page(request, extra_context):
    most_signed = list(open_petitions(order="signatures")[:HOME_PETITIONS])
    shown = [p.pk for p in most_signed]
    newest = list(open_petitions(order="newest").exclude(pk__in=shown)[:HOME_PETITIONS])
    return render(
        request,
        "composition/home.html",
        {
            "campaigns": list_public_campaigns(),
            "most_signed": most_signed,
            "newest": newest,
            "open_count": open_petitions().count(),
            **extra_context,
        },
    )


def campaign_detail(request, slug):
    campaign = get_object_or_404(Campaign.objects.select_related("organisation"), slug=slug)
    if not campaign.is_public and not organisations_for(request.user).filter(pk=campaign.organisation_id).exists():
        raise Http404
    petitions = list_public_petitions(campaign)
    counts = count_signatures_for_petitions(petitions)
    return render(
        request,
        "composition/campaign.html",
        {
            "campaign": campaign,
            "petitions": [(p, counts.get(p.pk, 0)) for p in petitions],
            **(ledger_context(campaign) if campaign.is_public else {}),
            "letter_actions": actions_for_campaign(campaign),
            "events": upcoming_for_campaign(campaign) if campaign.is_public else [],
            "partners": partners_of(campaign),
        },
    )


@login_required
def organise(request):
    organisations = organisations_for(request.user)
    campaigns = list(campaigns_for_organisations(organisations))
    petitions = [p for c in campaigns for p in c.petitions.all()]
    editable_ids = set(editable_organisations_for(request.user).values_list("pk", flat=True))
    capabilities = {o.pk: permissions.capabilities_of(request.user, o) for o in organisations}
    return render(
        request,
        "composition/organise.html",
        {
            "organisations": [(o, capabilities[o.pk]) for o in organisations],
            "campaigns": campaigns,
            "counts": count_signatures_for_petitions(petitions),
            "can_create": bool(editable_ids),
            "editable_ids": editable_ids,
            "partnerships": partnerships_for(request.user),
        },
    )
