from django.contrib import admin

from groundswell.campaigns.models import Campaign, CampaignPartner


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "is_public", "is_demo", "created_at"]
    list_filter = ["is_public", "is_demo", "organisation"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(CampaignPartner)
class CampaignPartnerAdmin(admin.ModelAdmin):
    list_display = ["campaign", "organisation", "slug", "created_at"]
