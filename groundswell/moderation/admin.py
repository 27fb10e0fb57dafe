from django.contrib import admin

from groundswell.moderation.models import ModerationRecord


@admin.register(ModerationRecord)
class ModerationRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "petition", "kind", "moderator_email", "description", "changed", "count_change", "state"]
    readonly_fields = [f.name for f in ModerationRecord._meta.fields]
