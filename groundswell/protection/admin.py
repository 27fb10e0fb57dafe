from django.contrib import admin

from groundswell.protection.models import ModerationRecord, PetitionProtection, RateLimits


@admin.register(RateLimits)
class RateLimitsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "ip_burst_limit", "ip_hourly_limit", "network_hourly_limit", "email_domain_hourly_limit"]


@admin.register(PetitionProtection)
class PetitionProtectionAdmin(admin.ModelAdmin):
    list_display = ["petition", "proof_of_work_required"]


@admin.register(ModerationRecord)
class ModerationRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "petition", "kind", "moderator_email", "description", "changed", "count_change", "state"]
    readonly_fields = [f.name for f in ModerationRecord._meta.fields]
