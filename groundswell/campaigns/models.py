"""A campaign: an organisation's public page, which petitions (and later letters and the
accountability ledger) belong to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from groundswell.accounts.models import Organisation
from groundswell.core.slugs import slug_not_empty


class Campaign(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="campaigns")
    slug = models.SlugField(max_length=80, unique=True, help_text=_("Used in the web address: letters, numbers and hyphens."))
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text=_("One or two sentences, shown in lists."))
    description = models.TextField(blank=True, help_text=_("The full story. Blank lines start new paragraphs."))
    # Welsh beside the English (docs/translation.md): shown on Welsh pages, English when blank.
    title_cy = models.CharField(_("Title in Welsh"), max_length=200, blank=True)
    summary_cy = models.CharField(_("Summary in Welsh"), max_length=300, blank=True)
    description_cy = models.TextField(_("Description in Welsh"), blank=True)
    is_public = models.BooleanField(
        _("Show this campaign's page to everyone"), default=False,
        help_text=_("Leave it unticked while you prepare it: only your organisation's organisers can see it then."),
    )
    is_demo = models.BooleanField(_("Demonstration"), default=False, help_text=_("Demonstration data, labelled as such on every page."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [slug_not_empty("campaign_slug_not_empty")]

    def __str__(self):
        return self.title


class CampaignPartner(models.Model):
    """Another organisation co-hosting a campaign: named on the campaign and its petitions, with
    its own opt-in on the sign form, and its own link (`?source=<slug>`) to attribute sign-ups.

    The partner's organisers (its team on this site) see and export only the supporters who
    ticked its box, and the counts of everyone (petitions/partners.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partnerships")
    slug = models.SlugField(
        _("Source name"), max_length=80,
        help_text=_("Used in the partner's own link: ?source=this-name. Letters, numbers and hyphens."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="one_partnership_per_campaign_and_organisation"),
            models.UniqueConstraint(fields=["campaign", "slug"], name="one_source_name_per_campaign"),
            slug_not_empty("campaign_partner_slug_not_empty"),
        ]

    def __str__(self):
        return f"{self.organisation} with {self.campaign}"
