"""Form widgets that are cheap to render.

Django renders every <option> of a <select> through its template engine: for the sign form's
250 countries that is some 20 ms a page, paid on every form shown with an error and on every
cache miss of a busy petition's page. LongSelect renders the same HTML from option markup built
once per choice list.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A <select> with many fixed options, rendered without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs["name"] = name
        selected = "" if value is None else str(value)
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            if option_value == selected:
                options.append(format_html('<option value="{}" selected>{}</option>', option_value, label))
            else:
                options.append(format_html('<option value="{}">{}</option>', option_value, label))
        return mark_safe(f"<select{flatatt(attrs)}>\n" + "\n".join(options) + "\n</select>")
