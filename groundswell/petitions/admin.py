from django.contrib import admin

from groundswell.petitions.models import Petition, Signature


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "state", "opens_on", "closes_on"]
    list_filter = ["state"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    """Read-only: signatures change only through actions, so counts stay true."""

    list_display = ["public_id", "petition", "country", "created_at", "confirmed_at"]
    list_filter = ["petition", "country"]
    search_fields = ["email_normalised"]
    readonly_fields = [f.name for f in Signature._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
