from django.contrib import admin

from groundswell.webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "organisation_id", "paused_at", "failing_since", "created_at"]
    exclude = ["secret"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["message_id", "event", "state", "attempts", "last_status", "created_at"]
    list_filter = ["state", "event"]
    readonly_fields = ["endpoint", "message_id", "event", "body", "attempts", "last_status", "delivered_at"]
