"""Coalitions' organiser pages: a campaign's partners and figures by source, a partner's view of
the supporters who ticked its box, and exports of opted-in supporters (CSV, streamed, logged).

Who sees which supporters is decided once, in petitions/supporters.py; who may use each page in
accounts/permissions.py (exports and supporters' details need EXPORT: owners and organisers).
"""

import csv

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from groundswell.accounts import permissions
from groundswell.accounts.models import Organisation
from groundswell.accounts.queries import editable_organisations_for, exportable_organisations_for, organisations_for
from groundswell.campaigns.actions import add_partner, remove_partner
from groundswell.campaigns.models import Campaign, CampaignPartner
from groundswell.campaigns.queries import partners_of
from groundswell.petitions import actions, supporters
from groundswell.petitions.models import SupporterExport

CSV_HEADER = [
    "email", "name", "petition", "country", "constituency_code", "signed_at", "confirmed_at", "consent", "consent_given_at", "source",
]
SHOWN_ON_PAGE = 100


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: such text is made inert."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def stream_supporters_csv(rows, filename: str) -> StreamingHttpResponse:
    """Rows of (signature, consent words, when), written one by one: constant memory."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(CSV_HEADER)
        for signature, consent_text, given_at in rows:
            yield writer.writerow(
                [
                    _csv_cell(v)
                    for v in (
                        signature.email, signature.name, signature.petition.slug, str(signature.country), signature.constituency_code,
                        signature.created_at.isoformat(), signature.confirmed_at.isoformat() if signature.confirmed_at else "",
                        consent_text, given_at.isoformat(), signature.source_partner.slug if signature.source_partner_id else "",
                    )
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


# -- the organisation's own export -------------------------------------------------------------


@login_required
@never_cache
def export_page(request, slug):
    organisation = get_object_or_404(exportable_organisations_for(request.user), slug=slug)
    return render(
        request,
        "petitions/export.html",
        {
            "organisation": organisation,
            "count": supporters.own_supporters(organisation.pk).count(),
            "partnerships": supporters.partnerships_of(organisation.pk),
            "exports": SupporterExport.objects.filter(organisation=organisation).select_related("partner__campaign")[:50],
        },
    )


@login_required
@require_POST
def export_csv(request, slug):
    """The organisation's opted-in supporters with the words each agreed to and when. A POST (a
    button), so no link prefetch or crawler can start an export; logged before it is sent."""
    organisation = get_object_or_404(exportable_organisations_for(request.user), slug=slug)
    rows = supporters.own_supporters(organisation.pk).count()
    actions.record_export(organisation_id=organisation.pk, by=request.user, rows=rows)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return stream_supporters_csv(supporters.own_rows(organisation.pk), f"{organisation.slug}-supporters-{stamp}.csv")


# -- a partner's view --------------------------------------------------------------------------


def _partnership_or_404(user, pk, capability=permissions.READ):
    return get_object_or_404(
        CampaignPartner.objects.select_related("campaign__organisation", "organisation").filter(
            organisation__in=permissions.organisations_where(user, capability)
        ),
        pk=pk,
    )


@login_required
@never_cache
def partner_page(request, pk):
    """What a partner's team sees: the counts of everyone, and (for those who may export) exactly
    the supporters who ticked the partner's box."""
    partner = _partnership_or_404(request.user, pk)
    may_export = permissions.can(request.user, partner.organisation, permissions.EXPORT)
    rows = list(supporters.partner_rows(partner))[:SHOWN_ON_PAGE] if may_export else []
    return render(
        request,
        "petitions/partner.html",
        {
            "partner": partner,
            "campaign": partner.campaign,
            "total": supporters.campaign_total(partner.campaign),
            "by_source": supporters.figures_by_source(partner.campaign),
            "may_export": may_export,
            "opted_in": supporters.partner_supporter_count(partner),
            "rows": rows,
            "shown": SHOWN_ON_PAGE,
            "source_links": _source_link(partner),
        },
    )


@login_required
@require_POST
def partner_csv(request, pk):
    partner = _partnership_or_404(request.user, pk, permissions.EXPORT)
    actions.record_export(
        organisation_id=partner.organisation_id, partner=partner, by=request.user, rows=supporters.partner_supporter_count(partner)
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return stream_supporters_csv(supporters.partner_rows(partner), f"{partner.organisation.slug}-{partner.campaign.slug}-{stamp}.csv")


def _source_link(partner) -> list[tuple[str, str]]:
    """The partner's own link to each of the campaign's petitions: (title, address)."""
    return [
        (petition.title, f"{settings.SITE_URL}{reverse('petitions:detail', args=[petition.slug])}?source={partner.slug}")
        for petition in partner.campaign.petitions.exclude(state="draft").order_by("-opens_on")
    ]


# -- a campaign's partners, for its own organisers ---------------------------------------------


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Partner organisation"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": gettext_lazy("Choose the partner organisation."),
            "invalid_choice": gettext_lazy("Choose an organisation from the list."),
        },
    )
    slug = forms.SlugField(
        label=gettext_lazy("Source name"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("For the partner's own link, ?source=this-name. Leave it empty to use the organisation's."),
        error_messages={"invalid": gettext_lazy("Use only letters, numbers and hyphens."), "max_length": gettext_lazy("Use at most 80 characters.")},
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk=campaign.organisation_id).exclude(
            partnerships__campaign=campaign
        )


def _editable_campaign_or_404(user, pk):
    return get_object_or_404(Campaign.objects.select_related("organisation").filter(organisation__in=editable_organisations_for(user)), pk=pk)


@login_required
def campaign_partners(request, pk):
    campaign = _editable_campaign_or_404(request.user, pk)
    form = PartnerForm(request.POST or None, campaign=campaign)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                add_partner(campaign=campaign, organisation=form.cleaned_data["organisation"], slug=form.cleaned_data["slug"].lower(), by=request.user)
            except IntegrityError:
                form.add_error("slug", _("Another partner of this campaign has this source name: choose another."))
            else:
                messages.success(request, _("Added %(name)s as a partner.") % {"name": form.cleaned_data["organisation"].name})
                return redirect("petitions:campaign_partners", pk=campaign.pk)
        status = 400
    partners = [(p, _source_link(p), supporters.partner_supporter_count(p)) for p in partners_of(campaign)]
    return render(
        request,
        "petitions/campaign_partners.html",
        {
            "campaign": campaign,
            "form": form,
            "partners": partners,
            "total": supporters.campaign_total(campaign),
            "by_source": supporters.figures_by_source(campaign),
        },
        status=status,
    )


@login_required
@require_POST
def campaign_partner_remove(request, pk, partner_pk):
    campaign = _editable_campaign_or_404(request.user, pk)
    partner = get_object_or_404(CampaignPartner.objects.select_related("organisation", "campaign"), campaign=campaign, pk=partner_pk)
    remove_partner(partner=partner, by=request.user)
    messages.success(request, _("%(name)s is no longer a partner of this campaign.") % {"name": partner.organisation.name})
    return redirect("petitions:campaign_partners", pk=campaign.pk)


def partnerships_for(user):
    """The partnerships of every organisation the user belongs to (for the dashboard)."""
    return CampaignPartner.objects.filter(organisation__in=organisations_for(user)).select_related("campaign", "organisation")
