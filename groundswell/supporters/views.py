"""A supporter's own data, without an account: ask for a link by email, then see, download,
withdraw and delete. Every change is a POST from a button on the page the link opens.

Every page that shows what we hold about someone is `never_cache` (Cache-Control: no-store,
private): no browser history, shared computer's cache or proxy may keep a copy of it."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from groundswell.protection.networks import client_ip
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


def _email_or_none(token):
    try:
        return read_data_token(token)
    except InvalidDataLink:
        return None


def _invalid_link(request):
    return render(request, "supporters/link_invalid.html", status=410)


@never_cache
def my_data(request, token):
    email_normalised = _email_or_none(token)
    if email_normalised is None:
        return _invalid_link(request)
    data = queries.data_held_about(email_normalised)
    return render(request, "supporters/my_data.html", {"data": data, "token": token})


@never_cache
@require_POST
def download(request, token):
    email_normalised = _email_or_none(token)
    if email_normalised is None:
        return _invalid_link(request)
    body = json.dumps(queries.data_held_about(email_normalised), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-groundswell-data.json"'
    return response


@never_cache
@require_POST
def withdraw(request, token, public_id):
    email_normalised = _email_or_none(token)
    if email_normalised is None:
        return _invalid_link(request)
    if actions.withdraw_signature(email_normalised=email_normalised, public_id=public_id):
        messages.success(request, "Your signature is withdrawn and deleted. The petition's count has gone down by one if it was counted.")
    else:
        messages.info(request, "That signature was already withdrawn.")
    return redirect("supporters:my_data", token=token)


@never_cache
@require_POST
def delete_everything(request, token):
    email_normalised = _email_or_none(token)
    if email_normalised is None:
        return _invalid_link(request)
    deleted = actions.delete_all_data(email_normalised=email_normalised)
    return render(request, "supporters/deleted.html", {"deleted": deleted})
