"""The error summary above a form: the one piece of form rendering Django has no equivalent for.

Fields themselves render through Django's own field template (groundswell.core.form_rendering):
Django ties each input to its hint and error (aria-describedby) and marks it aria-invalid. Django
has no summary of a form's errors, with a link to each field and the field named, so this tag
gives core/forms/error_summary.html its items.
"""

from django import template
from django.utils.translation import gettext

register = template.Library()


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
