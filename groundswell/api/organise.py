"""Owners' pages for the organisation's API tokens and webhook endpoints (accounts/permissions.py
MANAGE: owners only). A new token, and a new endpoint's signing secret, are shown once, in the
answer to the POST that made them, never stored in a cache and never shown again."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from groundswell.accounts.queries import managed_organisations_for
from groundswell.api import actions
from groundswell.api.models import ApiToken
from groundswell.webhooks import actions as webhooks
from groundswell.webhooks import events
from groundswell.webhooks.addresses import AddressRefused
from groundswell.webhooks.models import Delivery, Endpoint


def _organisation_or_404(user, slug):
    return get_object_or_404(managed_organisations_for(user), slug=slug)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the token is for"),
        max_length=100,
        help_text=gettext_lazy("For example “CRM sync”, so you know which to revoke later."),
        error_messages={"required": gettext_lazy("Say what the token is for."), "max_length": gettext_lazy("Use at most 100 characters.")},
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("What it may do"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what the token may do."), "invalid_choice": gettext_lazy("Choose what the token may do.")},
    )


@login_required
@never_cache
def api_tokens(request, slug):
    organisation = _organisation_or_404(request.user, slug)
    form = TokenForm(request.POST or None)
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            row, new_token = actions.create_token(organisation=organisation, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"], by=request.user)
            form = TokenForm()
        else:
            status = 400
    response = render(
        request,
        "api/tokens.html",
        {"organisation": organisation, "form": form, "new_token": new_token, "tokens": ApiToken.objects.filter(organisation=organisation)},
        status=status,
    )
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_POST
def revoke_api_token(request, slug, pk):
    organisation = _organisation_or_404(request.user, slug)
    token = get_object_or_404(ApiToken, organisation=organisation, pk=pk)
    actions.revoke_token(token=token, by=request.user)
    messages.success(request, _("Revoked the token “%(name)s”: it no longer works.") % {"name": token.name})
    return redirect("api:tokens", slug=organisation.slug)


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("Address of your receiver"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("An https:// address on the public internet, e.g. https://crm.example.org/hooks/groundswell."),
        error_messages={
            "required": gettext_lazy("Enter the address deliveries should go to."),
            "invalid": gettext_lazy("Enter a full web address, like https://crm.example.org/hooks."),
            "max_length": gettext_lazy("Use an address of at most 500 characters."),
        },
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events to send"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        error_messages={"required": gettext_lazy("Choose at least one event."), "invalid_choice": gettext_lazy("Choose events from the list.")},
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(e.name, f"{e.name}: {e.description}") for e in events.known().values()]


@login_required
@never_cache
def webhook_endpoints(request, slug):
    organisation = _organisation_or_404(request.user, slug)
    form = EndpointForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = webhooks.register_endpoint(
                    organisation_id=organisation.pk, url=form.cleaned_data["url"], event_names=form.cleaned_data["events"],
                    description=form.cleaned_data["description"], by_email=request.user.email,
                )
            except AddressRefused as refused:
                form.add_error("url", str(refused))
            except webhooks.UnknownEvent:
                form.add_error("events", _("Choose events from the list."))
        if created is None:
            status = 400
        else:
            form = EndpointForm()
    endpoints = Endpoint.objects.filter(organisation_id=organisation.pk)
    deliveries = Delivery.objects.filter(endpoint__organisation_id=organisation.pk).select_related("endpoint").prefetch_related("tries")[:30]
    response = render(
        request,
        "api/webhooks.html",
        {"organisation": organisation, "form": form, "created": created, "endpoints": endpoints, "deliveries": deliveries},
        status=status,
    )
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_POST
def webhook_endpoint_change(request, slug, pk):
    organisation = _organisation_or_404(request.user, slug)
    endpoint = get_object_or_404(Endpoint, organisation_id=organisation.pk, pk=pk)
    change = request.POST.get("change")
    if change == "resume":
        webhooks.resume_endpoint(endpoint=endpoint)
        messages.success(request, _("Resumed deliveries to %(url)s.") % {"url": endpoint.url})
    elif change == "pause":
        webhooks.pause_endpoint(endpoint=endpoint)
        messages.success(request, _("Paused deliveries to %(url)s.") % {"url": endpoint.url})
    elif change == "delete":
        webhooks.delete_endpoint(endpoint=endpoint)
        messages.success(request, _("Deleted the endpoint %(url)s.") % {"url": endpoint.url})
    else:
        messages.error(request, _("That change is not possible."))
    return redirect("api:webhooks", slug=organisation.slug)
