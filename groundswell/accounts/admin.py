from django.contrib import admin

from groundswell.accounts.models import Membership, Organisation, TeamEvent


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "works_bilingually", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(TeamEvent)
class TeamEventAdmin(admin.ModelAdmin):
    """The team log: read only, as a log should be."""

    list_display = ["at", "organisation", "kind", "email", "old_role", "new_role", "by_email"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
