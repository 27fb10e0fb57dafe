from django.contrib import admin

from groundswell.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made on the owners' page (shown once there); the admin only lists and revokes."""

    list_display = ["name", "organisation", "prefix", "scope", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "organisation", "prefix", "scope", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "organisation", "prefix", "scope", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
