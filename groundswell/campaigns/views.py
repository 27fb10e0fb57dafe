from django.contrib.auth.decorators import login_required
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from groundswell.accounts.queries import editable_organisations_for, organisations_for
from groundswell.campaigns.actions import save_campaign
from groundswell.campaigns.forms import CampaignForm
from groundswell.campaigns.models import Campaign
from groundswell.campaigns.queries import campaigns_for_organisations
from groundswell.core.slugs import save_with_unique_slug
from groundswell.ledger.views import ledger_context
from groundswell.letters.queries import actions_for_campaign
from groundswell.petitions.queries import count_signatures_for_petitions, list_public_petitions


def campaign_detail(request, slug):
    campaign = get_object_or_404(Campaign.objects.select_related("organisation"), slug=slug)
    if not campaign.is_public and not organisations_for(request.user).filter(pk=campaign.organisation_id).exists():
        raise Http404
    petitions = list_public_petitions(campaign)
    counts = count_signatures_for_petitions(petitions)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "petitions": [(p, counts.get(p.pk, 0)) for p in petitions],
            **(ledger_context(campaign) if campaign.is_public else {}),
            "letter_actions": actions_for_campaign(campaign),
        },
    )


@login_required
def organise(request):
    organisations = organisations_for(request.user)
    campaigns = list(campaigns_for_organisations(organisations))
    petitions = [p for c in campaigns for p in c.petitions.all()]
    return render(
        request,
        "campaigns/organise.html",
        {
            "organisations": organisations,
            "campaigns": campaigns,
            "counts": count_signatures_for_petitions(petitions),
            "can_create": editable_organisations_for(request.user).exists(),
        },
    )


@login_required
def campaign_edit(request, pk=None):
    organisations = editable_organisations_for(request.user)
    campaign = None
    if pk is not None:
        campaign = get_object_or_404(Campaign, pk=pk, organisation__in=organisations)
    elif not organisations.exists():
        raise Http404
    form = CampaignForm(request.POST or None, instance=campaign, organisations=organisations)
    if request.method == "POST" and form.is_valid() and (saved := save_with_unique_slug(save_campaign, form=form)):
        campaign = saved
        messages.success(request, gettext("Saved the campaign “%(title)s”.") % {"title": campaign.title})
        return redirect("campaigns:organise")
    return render(request, "campaigns/edit.html", {"form": form, "campaign": campaign})
