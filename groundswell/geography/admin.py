"""Staff screens for geography: read-only, because the data comes from packs (the import is the
only writer, so a set is always complete). Postcodes have no screen: 1.7 million rows a set."""

from django.contrib import admin

from groundswell.geography.models import BoundarySet, Constituency, Member


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BoundarySet)
class BoundarySetAdmin(ReadOnlyAdmin):
    list_display = ["name", "is_active", "created_at", "activated_at"]


@admin.register(Constituency)
class ConstituencyAdmin(ReadOnlyAdmin):
    list_display = ["name", "gss_code", "nation", "boundary_set"]
    list_filter = ["boundary_set", "nation"]
    search_fields = ["name", "gss_code"]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "party", "constituency", "is_current"]
    list_filter = ["is_current", "party", "constituency__boundary_set"]
    search_fields = ["name", "constituency__name"]
