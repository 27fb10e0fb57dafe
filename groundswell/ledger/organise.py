"""Organisers' ledger screens. Every object is looked up within the organisations the user may
edit, so an organiser of another organisation gets 404 for every id they try."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from groundswell.accounts.queries import editable_organisations_for
from groundswell.ledger import actions, queries
from groundswell.ledger.errors import LedgerRuleBroken
from groundswell.ledger.forms import (
    AskForm, BatchAskForm, ChaseSettingsForm, ChooseTargetsForm, CommitmentForm, PackGroupForm, PackTargetForm, PublishReplyForm,
    ResponseForm,
    TargetForm,
)
from groundswell.ledger.models import ReplyAttachment, Target
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
    drafts = queries.editable_replies(request.user).filter(state="draft").order_by("received_at")[:100]
    return render(request, "ledger/organise/index.html", {"targets": targets, "pack_forms": _pack_forms(organisations),
                                                          "group_form": PackGroupForm(organisations=organisations),
                                                          "drafts": drafts})


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
        return render(request, "ledger/organise/index.html", {"targets": targets, "pack_forms": forms,
                                                              "group_form": PackGroupForm(organisations=organisations)}, status=400)
    target, created = actions.add_target_from_pack(
        organisation=form.cleaned_data["organisation"], entry=entry, user=request.user
    )
    messages.success(request, (gettext("Added “%(name)s”.") if created else gettext("“%(name)s” is already one of your targets.")) % {"name": target.name})
    return redirect("ledger:organise_target", pk=target.pk)


@login_required
def target_page(request, pk):
    target = get_object_or_404(queries.editable_targets(request.user), pk=pk)
    asks = queries.target_asks_for_organisers(target)
    today = timezone.localdate()
    states = {ask.pk: queries.ask_state(ask, today) for ask in asks}
    history = queries.change_history(organisation_ids=[target.organisation_id], target=target)
    return render(request, "ledger/organise/target.html",
                  {"target": target, "asks": asks, "history": history, "states": states, "figures": queries.figures_for(asks, today)})


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


# --- Sending asks, batches, institutions' answers ------------------------------------------------


@login_required
def batch_create(request):
    organisations = _organisations_or_404(request.user)
    campaigns = queries.editable_campaigns(request.user)
    targets = queries.editable_targets(request.user).order_by("name")
    if not campaigns.exists():
        messages.error(request, _("Create a campaign first: every ask belongs to one."))
        return redirect("ledger:organise")
    choose = ChooseTargetsForm(request.GET or None, targets=targets, organisations=organisations)
    initial = {"targets": choose.chosen(targets)} if request.method == "GET" else None
    form = BatchAskForm(request.POST or None, initial=initial, campaigns=campaigns, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = actions.send_ask_batch(
                campaign=data["campaign"], targets=data["targets"], kind=data["kind"], subject=data["subject"],
                text=data["text"], deadline_on=data["deadline_on"], deadline_days=data["deadline_days"], user=request.user,
            )
        except LedgerRuleBroken as error:
            form.add_error(None, str(error))
        else:
            if data["save_group"]:
                actions.save_target_group(organisation=data["campaign"].organisation, name=data["save_group"], targets=data["targets"])
            count = len(data["targets"])
            messages.success(request, ngettext("Sent the ask to %(count)d target.", "Sent the ask to %(count)d targets, each on its own thread.", count) % {"count": count})
            return redirect("ledger:batch", pk=batch.pk)
    no_address = targets.filter(contact_email="")
    return render(request, "ledger/organise/batch_form.html", {"form": form, "choose": choose, "no_address": no_address},
                  status=400 if request.method == "POST" else 200)


@login_required
def batch_page(request, pk):
    batch = get_object_or_404(queries.editable_batches(request.user), pk=pk)
    today = timezone.localdate()
    asks = queries.batch_asks(batch)
    rows = [{"ask": ask, "state": queries.ask_state(ask, today)} for ask in asks]
    figures = queries.figures_for(asks, today)
    figures["drafts"] = sum(1 for row in rows if row["state"].draft_waiting)
    return render(request, "ledger/organise/batch.html", {"batch": batch, "rows": rows, "figures": figures, "today": today})


@login_required
def batches(request):
    _organisations_or_404(request.user)
    return render(request, "ledger/organise/batches.html", {"batches": queries.editable_batches(request.user)[:200]})


@login_required
def reply_page(request, pk):
    reply = get_object_or_404(queries.editable_replies(request.user), pk=pk)
    initial = {"summary": reply.text[:5000], "promise": reply.commitment, "due_on": reply.commitment_due_on}
    form = PublishReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and "set_aside" in request.POST:
        actions.set_reply_aside(reply=reply, user=request.user)
        messages.success(request, _("Set aside: it will not be published."))
        return redirect("ledger:organise_target", pk=reply.ask.target_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.publish_reply(reply=reply, classification=data["classification"], summary=data["summary"], user=request.user,
                                  promise=data["promise"], due_on=data["due_on"], publish_document=data["publish_document"])
        except LedgerRuleBroken as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Published the answer from %(target)s.") % {"target": reply.ask.target.name})
        return redirect("ledger:organise_target", pk=reply.ask.target_id)
    return render(request, "ledger/organise/reply.html", {"reply": reply, "form": form}, status=400 if request.method == "POST" else 200)


@login_required
def reply_file(request, pk, which):
    """An institution's original email or one of its attachments, for organisers only, always
    as a download (never shown inline: it could hold script)."""
    if which == "original":
        reply = get_object_or_404(queries.editable_replies(request.user), pk=pk)
        stored, filename, content_type = reply.original, f"reply-{reply.pk}.eml", "message/rfc822"
    else:
        attachment = get_object_or_404(ReplyAttachment.objects.filter(reply__in=queries.editable_replies(request.user)), pk=pk)
        stored, filename, content_type = attachment.file, attachment.filename or f"attachment-{attachment.pk}", "application/octet-stream"
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def internal_review(request, pk):
    ask = get_object_or_404(queries.editable_asks(request.user), pk=pk)
    try:
        actions.send_internal_review(ask=ask, user=request.user)
    except LedgerRuleBroken as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sent the request for an internal review to %(target)s.") % {"target": ask.target.name})
    return redirect("ledger:organise_target", pk=ask.target_id)


@login_required
def chase_settings(request, campaign_pk):
    campaign = get_object_or_404(queries.editable_campaigns(request.user), pk=campaign_pk)
    form = ChaseSettingsForm(request.POST or None, instance=queries.chase_settings_for(campaign))
    if request.method == "POST" and form.is_valid():
        actions.save_chase_settings(form=form)
        messages.success(request, _("Saved how “%(campaign)s” chases its asks.") % {"campaign": campaign.title})
        return redirect("ledger:organise")
    return render(request, "ledger/organise/chase_settings.html", {"form": form, "campaign": campaign},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def targets_from_pack(request):
    """Every police force, or every NHS trust of a region, added at once (existing ones kept)."""
    organisations = _organisations_or_404(request.user)
    form = PackGroupForm(request.POST, organisations=organisations)
    if not form.is_valid():
        targets = queries.editable_targets(request.user).order_by("organisation__name", "name")
        return render(request, "ledger/organise/index.html", {"targets": targets, "pack_forms": _pack_forms(organisations),
                                                              "group_form": form}, status=400)
    added = actions.add_targets_from_pack(organisation=form.cleaned_data["organisation"], entries=form.entries(), user=request.user)
    messages.success(request, ngettext("Added %(count)d target.", "Added %(count)d targets.", added) % {"count": added}
                     + " " + _("Give each a contact email to send it asks."))
    return redirect("ledger:organise")
