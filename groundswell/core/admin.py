from django.contrib import admin

from groundswell.core.models import InboundEmail


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    """Incoming mail no handler took (core/inbound.py): read it, pass it on, tick it handled."""

    list_display = ["received_at", "reason", "sender", "recipient", "subject", "handled"]
    list_filter = ["reason", "handled"]
    readonly_fields = ["received_at", "reason", "detail", "sender", "recipient", "subject", "text"]
    fields = readonly_fields + ["handled"]

    @admin.display(description="The message as it came")
    def text(self, obj):
        return bytes(obj.raw).decode("utf-8", errors="replace")[:100_000]

    def has_add_permission(self, request):
        return False
