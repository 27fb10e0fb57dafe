"""The signing puzzle's endpoint: pow.js fetches a fresh proof-of-work puzzle when the form is sent.

Kept out of the (cacheable) petition page so a page served from a cache to many visitors never
hands them all one puzzle. The puzzle itself is protection's (formguard); whether a petition asks
for it is the petition's own switch, set by moderators.
"""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache

from groundswell.petitions.queries import get_visible_petition
from groundswell.protection import formguard


@never_cache
def puzzle(request, slug):
    petition = get_visible_petition(slug)
    if petition is None or not petition.proof_of_work_required:
        raise Http404
    return JsonResponse(formguard.make_challenge())
