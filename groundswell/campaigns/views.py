"""Organisers create and edit campaigns. The public campaign page and the organisers' dashboard
show every feature at once, so they live in groundswell/composition."""

from django.contrib.auth.decorators import login_required
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from groundswell.accounts.queries import editable_organisations_for
from groundswell.campaigns.actions import save_campaign
from groundswell.campaigns.forms import CampaignForm
from groundswell.campaigns.models import Campaign
from groundswell.core.slugs import save_with_unique_slug


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
        return redirect("composition:organise")
    return render(request, "campaigns/edit.html", {"form": form, "campaign": campaign})
