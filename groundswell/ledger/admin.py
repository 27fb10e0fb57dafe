from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from groundswell.ledger.models import Ask, Commitment, Reminder, Response, Target


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "kind", "reference_code", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "reference_code"]


@admin.register(Ask)
class AskAdmin(SimpleHistoryAdmin):
    list_display = ["target", "campaign", "asked_on", "channel"]
    list_filter = ["channel"]


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    list_display = ["ask", "received_on", "classification"]
    list_filter = ["classification"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["promise", "response", "due_on", "status"]
    list_filter = ["status"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "created_at", "sent_at"]
    readonly_fields = ["organisation", "kind", "commitment", "ask", "batch", "created_at", "sent_at"]
