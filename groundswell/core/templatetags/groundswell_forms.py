"""Rendering form fields accessibly: every input names its hint and its error.

Screen readers announce an input's label, then what aria-describedby points at; so the hint
and the error message are linked to the input, and aria-invalid marks a field that needs fixing.
"""

from django import forms, template

register = template.Library()


@register.simple_tag
def field_input(field, **extra_attrs):
    described_by = []
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    if field.help_text:
        described_by.append(f"{field.auto_id}_hint")
    attrs = dict(extra_attrs)
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_radio(field):
    return isinstance(field.field.widget, forms.RadioSelect)
