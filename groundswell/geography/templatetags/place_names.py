"""Place names in the page's language (geography/names.py): {{ row|local_name }}, {{ row.nation|nation_name }}."""

from django import template

from groundswell.geography import names

register = template.Library()
register.filter("nation_name", names.nation_name)
register.filter("local_name", names.local_name)
register.filter("other_name", names.other_name)
