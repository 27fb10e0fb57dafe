from django.contrib import admin

from groundswell.supporters.models import ConsentStatement


@admin.register(ConsentStatement)
class ConsentStatementAdmin(admin.ModelAdmin):
    list_display = ["purpose", "first_shown_at", "text"]
    readonly_fields = ["purpose", "text", "text_sha256", "first_shown_at"]
