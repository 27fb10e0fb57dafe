"""A supporter's own data, without an account: ask for a link by email, then see, download,
withdraw and delete. Every change is a POST from the "Yes" button of a page that asks first.

Every page that shows what we hold about someone is `never_cache` (Cache-Control: no-store,
private): no browser history, shared computer's cache or proxy may keep a copy of it."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from groundswell.core.networks import client_ip
from groundswell.supporters import actions, queries
from groundswell.supporters.forms import DataLinkForm
from groundswell.supporters.tokens import InvalidDataLink, read_data_token


def request_link(request):
    """The same page and response whether or not the address is known."""
    form = DataLinkForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            queued = actions.request_data_link(email=form.cleaned_data["email"], ip_address=client_ip(request))
            return render(request, "supporters/link_sent.html", {"already_sent": not queued})
        return render(request, "supporters/request_link.html", {"form": form}, status=400)
    return render(request, "supporters/request_link.html", {"form": form})


def email_or_none(token):
    try:
        return read_data_token(token)
    except InvalidDataLink:
        return None


def invalid_link(request):
    return render(request, "supporters/link_invalid.html", status=410)


@never_cache
def my_data(request, token):
    email_normalised = email_or_none(token)
    if email_normalised is None:
        return invalid_link(request)
    data = queries.data_held_about(email_normalised)
    return render(request, "supporters/my_data.html", {"data": data, "token": token})


@never_cache
@require_POST
def download(request, token):
    email_normalised = email_or_none(token)
    if email_normalised is None:
        return invalid_link(request)
    body = json.dumps(queries.data_held_about(email_normalised), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-groundswell-data.json"'
    return response


# Withdrawing and deleting ask first: the button on the data page opens a question (GET, which
# changes nothing), and only its "Yes" button, a POST with confirm=yes, acts. A POST without it
# shows the question again. No JavaScript needed.


def confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "yes"


@never_cache
@require_http_methods(["GET", "POST"])
def delete_everything(request, token):
    email_normalised = email_or_none(token)
    if email_normalised is None:
        return invalid_link(request)
    if not confirmed(request):
        data = queries.data_held_about(email_normalised)
        return render(
            request,
            "supporters/confirm_delete.html",
            {"token": token, "signatures": len(data["signatures"]), "letters": len(data["letters"]), "rsvps": len(data.get("rsvps", []))},
        )
    deleted = actions.delete_all_data(email_normalised=email_normalised)
    return render(request, "supporters/deleted.html", {"signatures": deleted.get("signatures", 0), "letters": deleted.get("letters", 0), "rsvps": deleted.get("rsvps", 0)})
