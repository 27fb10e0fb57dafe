from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Campaign
from groundswell.core.slugs import SlugFromTitleMixin


class CampaignForm(SlugFromTitleMixin, forms.ModelForm):
    slug_prefix = "campaign"
    title_scope_field = "organisation"
    duplicate_title_message = _(
        "Your organisation already has a campaign with this title: change the title or type a different web address."
    )

    class Meta:
        model = Campaign
        fields = ["organisation", "title", "slug", "summary", "description", "title_cy", "summary_cy", "description_cy", "is_public"]
        error_messages = {
            "organisation": {"required": _("Choose the organisation that runs this campaign.")},
            "title": {"required": _("Enter a title.")},
            "summary": {"required": _("Enter a summary: one or two sentences, shown in lists.")},
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_slug_field()
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean(self):
        cleaned = super().clean()
        self.fill_slug(cleaned)
        return cleaned
