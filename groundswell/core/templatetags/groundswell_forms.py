"""Rendering form fields accessibly: every input names its hint and its error.

Screen readers announce an input's label, then what aria-describedby points at; so the hint
and the error message are linked to the input, and aria-invalid marks a field that needs fixing.
"""

from django import forms, template
from django.utils.translation import gettext

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


@register.simple_tag
def error_summary_items(form) -> list[tuple[str, str]]:
    """(link, text) for each error in the summary above a form, naming the field: "Title: Enter
    a title." rather than "This field is required." seven times. A field can set
    `summary_label` when its label is long (the sign form's consent wording) or empty."""
    items = [("", str(error)) for error in form.non_field_errors()]
    for field in form:
        label = getattr(field.field, "summary_label", None) or field.label
        for error in field.errors:
            if field.is_hidden:
                items.append(("", str(error)))  # nothing to link to, nothing to name
            elif label:
                items.append((f"#{field.auto_id}", gettext("%(field)s: %(error)s") % {"field": label, "error": error}))
            else:
                items.append((f"#{field.auto_id}", str(error)))
    return items
