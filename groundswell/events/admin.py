from django.contrib import admin

from groundswell.events.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    # RSVPs (names, addresses, access needs) are deliberately not in the admin: organisers see
    # them on the logged attendees page only.
    list_display = ("title", "campaign", "starts_at", "status")
    list_filter = ("status",)
    search_fields = ("title",)
    exclude = ("joining_link",)
