from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

register = template.Library()


@register.filter
def readable_time(value: str | None) -> str:
    """An ISO timestamp (as in the JSON download) in words a person reads: 22 November 2026, 14:05."""
    if not value:
        return ""
    return format_date(timezone.localtime(datetime.fromisoformat(value)), "j F Y, H:i")
