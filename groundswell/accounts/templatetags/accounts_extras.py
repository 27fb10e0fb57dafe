import math

from django import template

register = template.Library()


@register.filter
def whole_minutes(delta) -> int:
    """A timedelta as whole minutes, rounded up (django-axes gives its cool-off as a timedelta,
    or as an ISO 8601 string like PT15M that nobody should have to read)."""
    return max(1, math.ceil(delta.total_seconds() / 60))
