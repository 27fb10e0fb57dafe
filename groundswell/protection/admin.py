from django.contrib import admin

from groundswell.protection.models import RateLimits


@admin.register(RateLimits)
class RateLimitsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "ip_burst_limit", "ip_hourly_limit", "network_hourly_limit", "email_domain_hourly_limit"]
