"""`{% protection_fields petition %}`: the hidden checks inside the signing form.

A template tag, so the petition view and form need no changes to carry them, and every render
(including a form shown again with errors) gets a fresh timestamp. The puzzle itself is fetched
by pow.js when the form is sent (petitions:puzzle), so a page served from a cache to many
visitors never hands them all one puzzle.
"""

from django import template

from groundswell.protection import formguard

register = template.Library()


@register.inclusion_tag("protection/form_fields.html")
def protection_fields(petition):
    context = {
        "petition": petition,
        "honeypot_field": formguard.HONEYPOT_FIELD,
        "token_field": formguard.TOKEN_FIELD,
        "token": formguard.make_form_token(petition.pk),
        "pow": petition.proof_of_work_required,
    }
    return context
