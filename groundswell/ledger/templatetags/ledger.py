from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def has_review(follow_ups):
    return any(f.kind == "internal_review" for f in follow_ups)
