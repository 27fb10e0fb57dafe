"""Update pages: organisers build an audience, write, preview, test and send; supporters
unsubscribe. Thin: forms parse, actions write, queries read.

Every organiser page looks the update up inside the user's own organisations, so another
organisation's id is a 404, the same as an id that does not exist."""

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from csp.decorators import csp_replace

from groundswell.accounts.models import Membership
from groundswell.accounts.queries import editable_organisations_for, organisations_for
from groundswell.core.signed_links import InvalidToken
from groundswell.supporters import views as supporters_views
from groundswell.updates import actions, emails, queries, tokens
from groundswell.updates.errors import UpdateRuleBroken
from groundswell.updates.forms import AudienceForm, ContentForm, SendForm, SettingsForm, UnsubscribeForm
from groundswell.updates.models import Consent, Delivery, Update


def _editable_update(request, pk) -> Update:
    return get_object_or_404(queries.editable_updates_for(request.user), pk=pk)


@login_required
def organise(request):
    updates = list(queries.updates_for(request.user)[:100])
    rows = [{"update": update, "figures": queries.figures(update)} for update in updates]
    owned = request.user.memberships.filter(role=Membership.Role.OWNER).select_related("organisation")
    return render(
        request, "updates/organise.html",
        {"rows": rows, "can_create": editable_organisations_for(request.user).exists(), "owned": [m.organisation for m in owned]},
    )


@login_required
def audience(request, pk=None):
    """Step 1: who gets it. "Count" shows how many people the audience holds; "Continue" saves."""
    update = _editable_update(request, pk) if pk is not None else None
    if update is not None and not update.is_editable:
        messages.info(request, _("This update is already scheduled or sent, so its audience cannot change."))
        return redirect("updates:detail", pk=update.pk)
    organisations = editable_organisations_for(request.user)
    if update is None and not organisations.exists():
        raise Http404
    form = AudienceForm(request.POST or None, instance=update, organisations=organisations)
    count = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("step") != "count":
            try:
                saved = actions.save_audience(form=form, user=request.user)
            except UpdateRuleBroken as error:
                messages.error(request, str(error))
                return redirect("updates:organise")
            return redirect("updates:write", pk=saved.pk)
        count = queries.audience_size(form.instance)
    elif update is not None and request.method != "POST":
        count = queries.audience_size(update)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "updates/audience.html", {"form": form, "update": update, "count": count}, status=status)


@login_required
def write(request, pk):
    """Step 2: subject, message and call to action."""
    update = _editable_update(request, pk)
    if not update.is_editable:
        messages.info(request, _("This update is already scheduled or sent, so it cannot be changed."))
        return redirect("updates:detail", pk=update.pk)
    form = ContentForm(request.POST or None, instance=update)
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.save_content(form=form)
            except UpdateRuleBroken as error:
                messages.error(request, str(error))
            return redirect("updates:detail", pk=update.pk)
        status = 400
    else:
        status = 200
    return render(
        request, "updates/write.html", {"form": form, "update": update, "count": queries.audience_size(update)}, status=status
    )


def _preview_message(update, user):
    return emails.build_update_email(
        update, to=user.email, values=emails.sample_values(user), public_id=tokens.PREVIEW_ID
    )


@login_required
def detail(request, pk, send_form=None, status=200):
    """Step 3: the exact email (headers, HTML part, text part), a test send, then send."""
    update = get_object_or_404(queries.updates_for(request.user), pk=pk)
    editable = queries.editable_updates_for(request.user).filter(pk=pk).exists()
    message = _preview_message(update, request.user) if update.subject and update.body_markdown else None
    settings_row = queries.settings_for(update.organisation)
    context = {
        "update": update,
        "editable": editable,
        "message": message,
        "list_unsubscribe": message.extra_headers.get("List-Unsubscribe", "") if message else "",
        "cap": django_settings.UPDATES_PER_SUPPORTER_PER_WEEK,
        "text_part": message.body if message else "",
        "count": queries.audience_size(update) if update.is_editable or update.status == Update.Status.SCHEDULED else None,
        "figures": queries.figures(update),
        "send_form": send_form or SendForm(),
        "require_approval": settings_row.require_approval,
        "reply_to": settings_row.reply_to,
        "can_approve": editable and update.status == Update.Status.AWAITING_APPROVAL and update.created_by_id != request.user.pk,
    }
    return render(request, "updates/detail.html", context, status=status)


@login_required
@xframe_options_sameorigin
@csp_replace({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "img-src": ["'self'"], "frame-ancestors": ["'self'"], "script-src": ["'none'"]})
def email_html(request, pk):
    """The HTML part exactly as it is sent, for the preview's sandboxed frame."""
    update = get_object_or_404(queries.updates_for(request.user), pk=pk)
    if not (update.subject and update.body_markdown):
        raise Http404
    message = _preview_message(update, request.user)
    html = message.alternatives[0][0]
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@login_required
@require_POST
def test_send(request, pk):
    update = _editable_update(request, pk)
    if not (update.subject and update.body_markdown):
        messages.error(request, _("Write a subject and a message first."))
    elif not request.user.email:
        messages.error(request, _("Your account has no email address to send a test to."))
    elif actions.send_test(update=update, user=request.user):
        messages.success(request, _("A test copy is on its way to %(email)s.") % {"email": request.user.email})
    return redirect("updates:detail", pk=update.pk)


@login_required
@require_POST
def send(request, pk):
    update = _editable_update(request, pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        return detail(request, pk, send_form=form, status=400)
    try:
        sent = actions.request_sending(update=update, user=request.user, send_at=form.cleaned_data["send_at"])
    except UpdateRuleBroken as error:
        messages.error(request, str(error))
        return redirect("updates:detail", pk=update.pk)
    if sent.status == Update.Status.AWAITING_APPROVAL:
        messages.success(request, _("Another organiser of %(organisation)s must now approve it before it is sent.") % {"organisation": sent.organisation.name})
    elif sent.status == Update.Status.SCHEDULED:
        messages.success(request, _("Scheduled. You can still stop it and make changes until it goes."))
    else:
        messages.success(request, _("Sending. The figures below fill in as the emails go."))
    return redirect("updates:detail", pk=update.pk)


@login_required
@require_POST
def approve(request, pk):
    update = _editable_update(request, pk)
    try:
        actions.approve(update=update, user=request.user)
        messages.success(request, _("Approved."))
    except UpdateRuleBroken as error:
        messages.error(request, str(error))
    return redirect("updates:detail", pk=update.pk)


@login_required
@require_POST
def back_to_draft(request, pk):
    update = _editable_update(request, pk)
    try:
        actions.back_to_draft(update=update)
        messages.success(request, _("Stopped: it is a draft again."))
    except UpdateRuleBroken as error:
        messages.error(request, str(error))
    return redirect("updates:detail", pk=update.pk)


@login_required
def organisation_settings(request, organisation_pk):
    owned = request.user.memberships.filter(role=Membership.Role.OWNER).values("organisation_id")
    organisation = get_object_or_404(organisations_for(request.user).filter(pk__in=owned), pk=organisation_pk)
    current = queries.settings_for(organisation)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            actions.save_settings(
                organisation=organisation, reply_to=form.cleaned_data["reply_to"], require_approval=form.cleaned_data["require_approval"]
            )
            messages.success(request, _("Saved the update settings of %(organisation)s.") % {"organisation": organisation.name})
            return redirect("updates:organise")
        return render(request, "updates/settings.html", {"form": form, "organisation": organisation}, status=400)
    return render(request, "updates/settings.html", {"form": form, "organisation": organisation})


# -- supporters: unsubscribing ----------------------------------------------------------------


def _delivery_for(token):
    """(delivery, is_preview); (None, False) for a link that is not ours."""
    try:
        public_id = tokens.UNSUBSCRIBE_LINK.read(token)
    except InvalidToken:
        return None, False
    if public_id == tokens.PREVIEW_ID:
        return None, True
    delivery = Delivery.objects.select_related("update__organisation", "update__campaign", "consent").filter(public_id=public_id).first()
    return delivery, False


def _link_not_valid(request, preview=False):
    return render(request, "updates/unsubscribe_invalid.html", {"preview": preview}, status=200 if preview else 410)


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The visible link: a page with choices (this campaign, or everything from the organisation)."""
    delivery, preview = _delivery_for(token)
    if delivery is None:
        return _link_not_valid(request, preview)
    update = delivery.update
    campaign = update.campaign
    form = UnsubscribeForm(request.POST or None, organisation_name=update.organisation.name, campaign_title=campaign.title if campaign else "")
    context = {"form": form, "organisation": update.organisation, "campaign": campaign, "token": token,
               "already": delivery.consent.withdrawn_at is not None}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "updates/unsubscribe.html", context, status=400)
        if form.cleaned_data["what"] == UnsubscribeForm.CAMPAIGN and campaign is not None:
            actions.leave_campaign(delivery=delivery)
            return render(request, "updates/unsubscribed.html", {"organisation": update.organisation, "campaign": campaign})
        actions.withdraw_consent(consent=delivery.consent, how=Consent.Withdrawal.UNSUBSCRIBE_PAGE, delivery=delivery)
        return render(request, "updates/unsubscribed.html", {"organisation": update.organisation})
    return render(request, "updates/unsubscribe.html", context)


@csrf_exempt  # RFC 8058: mail programs POST here with no cookie and no token; the signed link is the key
@never_cache
@require_http_methods(["GET", "POST"])
def one_click(request, token):
    """The List-Unsubscribe address. A POST (the mail program's button) stops every update from
    the organisation at once and does nothing else; a GET (someone opened the address) changes
    nothing and shows the page with choices."""
    if request.method != "POST":
        return redirect("updates:unsubscribe", token=token)
    delivery, preview = _delivery_for(token)
    if delivery is None:
        return HttpResponse(_("This link unsubscribes nobody.") if preview else _("This unsubscribe link is not valid."),
                            status=200 if preview else 410, content_type="text/plain; charset=utf-8")
    actions.withdraw_consent(consent=delivery.consent, how=Consent.Withdrawal.ONE_CLICK, delivery=delivery)
    return HttpResponse(_("You are unsubscribed."), content_type="text/plain; charset=utf-8")


# -- the supporter's own data page --------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw_from_own_data(request, token, public_id):
    email_normalised = supporters_views.email_or_none(token)
    if email_normalised is None:
        return supporters_views.invalid_link(request)
    consent = Consent.objects.filter(email_normalised=email_normalised, public_id=public_id).select_related("organisation").first()
    if consent is None or consent.withdrawn_at is not None:
        messages.info(request, _("You already get no updates from them."))
        return redirect("supporters:my_data", token=token)
    if not supporters_views.confirmed(request):
        return render(request, "updates/confirm_withdraw.html", {"token": token, "consent": consent})
    actions.withdraw_consent(consent=consent, how=Consent.Withdrawal.OWN_DATA_PAGE)
    messages.success(
        request, _("You will get no more updates from %(organisation)s. Your signatures are unchanged.") % {"organisation": consent.organisation.name}
    )
    return redirect("supporters:my_data", token=token)
