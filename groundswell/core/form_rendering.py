"""Every form renders through Django's own form templates, pointed at ours.

Django 5.2 already ties an input to its hint and its error: BoundField.build_widget_attrs adds
aria-describedby="<id>_helptext <id>_error" and aria-invalid="true" (and, for a group of radios,
BoundField.aria_describedby goes on the fieldset). So the project does not re-create that in
a template tag: it gives Django a field template (core/forms/field.html) that writes the hint
and the error with those ids, the "(optional)" marker, and a fieldset and legend for radios; and
a form template (core/forms/form.html) that puts the error summary above the fields. Templates
then write {{ form }} or {{ form.name.as_field_group }}.

TemplatesSetting, not Django's default renderer, so these templates are found by the project's
own TEMPLATES setting (and so Django's widget templates need "django.forms" in INSTALLED_APPS).
"""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
