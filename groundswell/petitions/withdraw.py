"""Withdrawing a signature from the supporter's own-data page (supporters/views.py): the page
asks first, and only its "Yes" button acts. Petitions owns every change to a signature and to
the counts, so the view is here, behind the supporter's data link."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from groundswell.petitions import actions, queries
from groundswell.supporters import views as supporters_views


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request, token, public_id):
    email_normalised = supporters_views.email_or_none(token)
    if email_normalised is None:
        return supporters_views.invalid_link(request)
    signature = queries.signature_of(email_normalised, public_id)
    if signature is None:
        messages.info(request, gettext("That signature was already withdrawn."))
        return redirect("supporters:my_data", token=token)
    if not supporters_views.confirmed(request):
        return render(request, "supporters/confirm_withdraw.html", {"token": token, "signature": signature})
    if actions.withdraw_signature(email_normalised=email_normalised, public_id=public_id):
        messages.success(
            request,
            gettext("Your signature on “%(petition)s” is withdrawn and deleted. The petition's count has gone down by one if it was counted.")
            % {"petition": signature.petition.title},
        )
    else:
        messages.info(request, gettext("That signature was already withdrawn."))
    return redirect("supporters:my_data", token=token)
