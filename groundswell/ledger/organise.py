"""Organisers' ledger screens. Every object is looked up within the organisations the user may
edit, so an organiser of another organisation gets 404 for every id they try."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.formats import date_format
from django.utils.translation import gettext

from groundswell.accounts.queries import editable_organisations_for
from groundswell.ledger import actions, queries
from groundswell.ledger.errors import LedgerRuleBroken
from groundswell.ledger.forms import AskForm, CommitmentForm, PackTargetForm, ResponseForm, TargetForm
from groundswell.ledger.models import Target
from groundswell.ledger.pack import find_entry


def _organisations_or_404(user):
    organisations = editable_organisations_for(user)
    if not organisations.exists():
        raise Http404
    return organisations


def _pack_forms(organisations, data=None, kind=None):
    return {
        k: PackTargetForm(data if k == kind else None, organisations=organisations, kind=k)
        for k in (Target.Kind.NHS_BODY, Target.Kind.POLICE_FORCE)
    }


@login_required
def index(request):
    organisations = _organisations_or_404(request.user)
    targets = queries.editable_targets(request.user).order_by("organisation__name", "name")
    return render(request, "ledger/organise/index.html", {"targets": targets, "pack_forms": _pack_forms(organisations)})


@login_required
def target_edit(request, pk=None):
    organisations = _organisations_or_404(request.user)
    target = get_object_or_404(queries.editable_targets(request.user), pk=pk) if pk is not None else None
    form = TargetForm(request.POST or None, instance=target, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        target = actions.save_target(form=form, user=request.user)
        messages.success(request, gettext("Saved the target “%(name)s”.") % {"name": target.name})
        return redirect("ledger:organise_target", pk=target.pk)
    return render(request, "ledger/organise/target_form.html", {"form": form, "target": target})


@login_required
def target_from_pack(request, kind):
    organisations = _organisations_or_404(request.user)
    if kind not in (Target.Kind.NHS_BODY, Target.Kind.POLICE_FORCE) or request.method != "POST":
        raise Http404
    forms = _pack_forms(organisations, request.POST, kind)
    form = forms[kind]
    entry = find_entry(form.cleaned_data["entry"]) if form.is_valid() else None
    if entry is None:
        if form.is_valid():
            form.add_error("entry", _("Choose one from the list."))
        targets = queries.editable_targets(request.user).order_by("organisation__name", "name")
        return render(request, "ledger/organise/index.html", {"targets": targets, "pack_forms": forms}, status=400)
    target, created = actions.add_target_from_pack(
        organisation=form.cleaned_data["organisation"], entry=entry, user=request.user
    )
    messages.success(request, (gettext("Added “%(name)s”.") if created else gettext("“%(name)s” is already one of your targets.")) % {"name": target.name})
    return redirect("ledger:organise_target", pk=target.pk)


@login_required
def target_page(request, pk):
    target = get_object_or_404(queries.editable_targets(request.user), pk=pk)
    asks = queries.target_asks_for_organisers(target)
    history = queries.change_history(organisation_ids=[target.organisation_id], target=target)
    return render(request, "ledger/organise/target.html", {"target": target, "asks": asks, "history": history})


@login_required
def history(request):
    organisations = _organisations_or_404(request.user)
    entries = queries.change_history(organisation_ids=list(organisations.values_list("pk", flat=True)))
    return render(request, "ledger/organise/history.html", {"history": entries})


def _entry_page(request, form, *, title, target, button, status=200):
    return render(
        request, "ledger/organise/entry_form.html",
        {"form": form, "title": title, "target": target, "button": button}, status=status,
    )


@login_required
def ask_edit(request, target_pk=None, pk=None):
    if pk is not None:
        ask = get_object_or_404(queries.editable_asks(request.user), pk=pk)
        target = ask.target
    else:
        ask = None
        target = get_object_or_404(queries.editable_targets(request.user), pk=target_pk)
    campaigns = queries.editable_campaigns(request.user).filter(organisation=target.organisation)
    if not campaigns.exists():
        messages.error(request, _("Create a campaign first: every ask belongs to one."))
        return redirect("ledger:organise_target", pk=target.pk)
    form = AskForm(request.POST or None, request.FILES or None, instance=ask, campaigns=campaigns)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_ask(form=form, target=target, user=request.user)
        except LedgerRuleBroken:
            raise Http404 from None
        messages.success(request, gettext("Saved the ask to %(name)s.") % {"name": target.name})
        return redirect("ledger:organise_target", pk=target.pk)
    title = (gettext("Edit the ask to %(name)s") if ask else gettext("Record an ask to %(name)s")) % {"name": target.name}
    return _entry_page(request, form, title=title, target=target, button=gettext("Save the ask"))


@login_required
def response_edit(request, ask_pk=None, pk=None):
    if pk is not None:
        response = get_object_or_404(queries.editable_responses(request.user), pk=pk)
        ask = response.ask
    else:
        response = None
        ask = get_object_or_404(queries.editable_asks(request.user), pk=ask_pk)
    form = ResponseForm(request.POST or None, request.FILES or None, instance=response, ask=ask)
    if request.method == "POST" and form.is_valid():
        actions.save_response(form=form, ask=ask, user=request.user)
        messages.success(request, gettext("Saved the response from %(name)s.") % {"name": ask.target.name})
        return redirect("ledger:organise_target", pk=ask.target_id)
    title = (
        gettext("Edit the response from %(name)s to the ask of %(date)s") if response
        else gettext("Record a response from %(name)s to the ask of %(date)s")
    ) % {"name": ask.target.name, "date": date_format(ask.asked_on, "j F Y")}
    return _entry_page(request, form, title=title, target=ask.target, button=gettext("Save the response"))


@login_required
def commitment_edit(request, response_pk=None, pk=None):
    if pk is not None:
        commitment = get_object_or_404(queries.editable_commitments(request.user), pk=pk)
        response = commitment.response
    else:
        commitment = None
        response = get_object_or_404(queries.editable_responses(request.user), pk=response_pk)
    form = CommitmentForm(request.POST or None, instance=commitment)
    if request.method == "POST" and form.is_valid():
        actions.save_commitment(form=form, response=response, user=request.user)
        messages.success(request, gettext("Saved the commitment by %(name)s.") % {"name": response.ask.target.name})
        return redirect("ledger:organise_target", pk=response.ask.target_id)
    title = (
        gettext("Edit a commitment by %(name)s (response of %(date)s)") if commitment
        else gettext("Record a commitment by %(name)s (response of %(date)s)")
    ) % {"name": response.ask.target.name, "date": date_format(response.received_on, "j F Y")}
    return _entry_page(request, form, title=title, target=response.ask.target, button=gettext("Save the commitment"))
