"""`{% protection_fields petition %}`: the hidden checks inside the signing form.

A template tag, so the petition view and form need no changes to carry them, and every render
(including a form shown again with errors) gets a fresh timestamp and puzzle.
"""

from django import template

from groundswell.protection import formguard
from groundswell.protection.queries import proof_of_work_required

register = template.Library()


@register.inclusion_tag("protection/form_fields.html")
def protection_fields(petition):
    context = {
        "honeypot_field": formguard.HONEYPOT_FIELD,
        "token_field": formguard.TOKEN_FIELD,
        "token": formguard.make_form_token(petition.pk),
        "pow": None,
    }
    if proof_of_work_required(petition):
        context["pow"] = formguard.make_challenge()
    return context
