"""Event pages: request in, form, action, response out. The rules live in actions and queries."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from groundswell.accounts.queries import editable_organisations_for
from groundswell.campaigns.models import Campaign
from groundswell.core.networks import client_ip
from groundswell.core.signed_links import ExpiredToken, InvalidToken
from groundswell.events import actions, ical, queries, tokens
from groundswell.events.errors import EventError
from groundswell.events.forms import EventForm, ManageRSVPForm, RSVPForm
from groundswell.events.models import RSVP, Event
from groundswell.supporters import views as supporters_views


def _retention():
    return settings.EVENT_ACCESS_NEEDS_RETENTION_DAYS


def _event_page(request, event, form, *, preview=False, status=200, error=""):
    now = timezone.now()
    response = render(
        request,
        "events/detail.html",
        {
            "event": event, "campaign": event.campaign, "form": form, "preview": preview, "error": error,
            "past": event.is_past(now), "started": event.has_started(now), "accepting": event.accepts_rsvps(now) and not preview,
            "places_left": queries.places_left(event), "retention_days": _retention(),
            "attendance_count": queries.attendance_count(event),
        },
        status=status,
    )
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response


@never_cache  # a form with what someone typed (and their needs) may be on it
def detail(request, pk):
    event, preview = queries.visible_event(request.user, pk)
    if event is None:
        raise Http404
    if request.method != "POST":
        form = RSVPForm(event=event, retention_days=_retention()) if event.accepts_rsvps() and not preview else None
        return _event_page(request, event, form, preview=preview)
    if preview:
        return _event_page(request, event, None, preview=True, status=409)
    form = RSVPForm(request.POST, event=event, retention_days=_retention())
    if not event.accepts_rsvps():
        try:
            actions.check_taking_rsvps(event)
        except EventError as problem:
            return _event_page(request, event, None, status=409, error=str(problem))
    if not form.is_valid():
        return _event_page(request, event, form, status=400)
    data = form.cleaned_data
    try:
        actions.send_rsvp(
            event=event, name=data["name"], email=data["email"], attendance=data.get("attendance", ""),
            access_needs=data["access_needs"], access_needs_other=data["access_needs_other"], ip_address=client_ip(request),
        )
    except EventError as problem:
        form.add_error(None, str(problem))
        return _event_page(request, event, form, status=409)
    return redirect("events:check_email", pk=event.pk)


def check_email(request, pk):
    event, preview = queries.visible_event(request.user, pk)
    if event is None or preview:
        raise Http404
    return render(request, "events/check_email.html", {"event": event, "confirmation_days": settings.EVENTS_CONFIRMATION_DAYS})


def _rsvp_from_token(token, purpose):
    try:
        public_id = purpose.read(token)
    except ExpiredToken:
        return None, True
    except InvalidToken:
        return None, False
    rsvp = RSVP.objects.select_related("event__campaign__organisation").filter(public_id=public_id).first()
    return rsvp, False


def _link_invalid(request, expired):
    return render(request, "events/link_invalid.html", {"expired": expired}, status=410 if expired else 404)


@never_cache
def confirm(request, token):
    """GET shows a button; only its POST confirms (mail scanners only GET)."""
    rsvp, expired = _rsvp_from_token(token, tokens.CONFIRMATION_LINK)
    if rsvp is None or not rsvp.email:
        return _link_invalid(request, expired)
    error = ""
    if request.method == "POST":
        try:
            actions.confirm_rsvp(rsvp=rsvp)
        except EventError as problem:
            error = str(problem)
        else:
            return redirect("events:manage", token=tokens.MANAGE_LINK.make(rsvp.public_id))
    if rsvp.status == RSVP.Status.PENDING and not error:
        try:
            actions.check_taking_rsvps(rsvp.event)
        except EventError as problem:
            error = str(problem)
    return render(
        request, "events/confirm.html",
        {"rsvp": rsvp, "event": rsvp.event, "error": error, "manage_token": tokens.MANAGE_LINK.make(rsvp.public_id)},
        status=409 if error else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """The person's own reply: its status, the joining link once their place is confirmed, the
    calendar file; change how they attend and what they need, or cancel."""
    rsvp, expired = _rsvp_from_token(token, tokens.MANAGE_LINK)
    if rsvp is None or not rsvp.email or rsvp.status == RSVP.Status.PENDING:
        return _link_invalid(request, expired)
    event = rsvp.event
    changeable = rsvp.status != RSVP.Status.CANCELLED and not event.is_past() and event.status == Event.Status.PUBLISHED
    initial = {"name": rsvp.name, "attendance": rsvp.attendance, "access_needs": rsvp.access_needs, "access_needs_other": rsvp.access_needs_other}
    form = ManageRSVPForm(request.POST or None, initial=initial, event=event, retention_days=_retention()) if changeable else None
    status = 200
    if request.method == "POST" and form is not None:
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.update_rsvp(
                    rsvp=rsvp, name=data["name"], attendance=data.get("attendance", ""),
                    access_needs=data["access_needs"], access_needs_other=data["access_needs_other"],
                )
            except EventError as problem:
                form.add_error(None, str(problem))
                status = 409
            else:
                messages.success(request, gettext("Saved your changes."))
                return redirect("events:manage", token=token)
        else:
            status = 400
    elif request.method == "POST":
        status = 409
    return render(
        request, "events/manage.html",
        {
            "rsvp": rsvp, "event": event, "form": form, "token": token, "retention_days": _retention(),
            "joining_link": event.joining_link if rsvp.status == RSVP.Status.CONFIRMED and event.online else "",
            "past": event.is_past(),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request, token):
    rsvp, expired = _rsvp_from_token(token, tokens.MANAGE_LINK)
    if rsvp is None or not rsvp.email or rsvp.status == RSVP.Status.PENDING:
        return _link_invalid(request, expired)
    if rsvp.event.is_past():
        messages.info(request, gettext("The event has taken place, so there is nothing to cancel."))
        return redirect("events:manage", token=token)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        actions.cancel_rsvp(rsvp=rsvp)
        messages.success(request, gettext("Your reply is cancelled. Thank you for letting the organisers know."))
        return redirect("events:manage", token=token)
    return render(request, "events/cancel.html", {"rsvp": rsvp, "event": rsvp.event, "token": token})


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
def my_ics(request, token):
    """The person's own calendar file: with the joining link once their place is confirmed."""
    rsvp, expired = _rsvp_from_token(token, tokens.MANAGE_LINK)
    if rsvp is None or not rsvp.email or rsvp.status == RSVP.Status.PENDING:
        return _link_invalid(request, expired)
    event = rsvp.event
    link = event.joining_link if rsvp.status == RSVP.Status.CONFIRMED and event.online else ""
    return _ics_response(ical.event_calendar(event, joining_link=link), f"event-{event.pk}.ics")


def event_ics(request, pk):
    event, preview = queries.visible_event(request.user, pk)
    if event is None or preview:
        raise Http404
    return _ics_response(ical.event_calendar(event), f"event-{event.pk}.ics")


def _public_campaign_or_404(slug) -> Campaign:
    campaign = Campaign.objects.select_related("organisation").filter(slug=slug, is_public=True).first()
    if campaign is None:
        raise Http404
    return campaign


def campaign_feed(request, slug):
    campaign = _public_campaign_or_404(slug)
    response = HttpResponse(ical.campaign_calendar(campaign, queries.calendar_events_for_campaign(campaign)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{campaign.slug}-events.ics"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def campaign_json(request, slug):
    campaign = _public_campaign_or_404(slug)
    data = {
        "campaign": {"slug": campaign.slug, "title": campaign.title, "url": request.build_absolute_uri(reverse("composition:campaign", args=[campaign.slug]))},
        "organisation": campaign.organisation.name,
        "is_demo": campaign.is_demo,
        "calendar_url": request.build_absolute_uri(reverse("events:campaign_feed", args=[campaign.slug])),
        "events": [queries.event_as_json(e, request.build_absolute_uri) for e in queries.calendar_events_for_campaign(campaign)],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- From the supporter's own-data page ------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def my_data_rsvp(request, token, public_id):
    """Cancel or delete a reply from the supporter's own-data page: the page asks first."""
    email_normalised = supporters_views.email_or_none(token)
    if email_normalised is None:
        return supporters_views.invalid_link(request)
    rsvp = queries.rsvp_of(email_normalised, public_id)
    if rsvp is None:
        messages.info(request, gettext("That reply was already deleted."))
        return redirect("supporters:my_data", token=token)
    action = request.POST.get("do")
    if request.method == "POST" and request.POST.get("confirm") == "yes" and action in ("cancel", "delete"):
        if action == "cancel":
            if not actions.cancel_rsvp(rsvp=rsvp):
                messages.info(request, gettext("That reply cannot be cancelled now: it was cancelled already, or the event has taken place."))
                return redirect("supporters:my_data", token=token)
            messages.success(request, gettext("Your reply to “%(event)s” is cancelled.") % {"event": rsvp.event.title})
        else:
            actions.delete_rsvp(rsvp=rsvp)
            messages.success(request, gettext("Your reply to “%(event)s” is deleted.") % {"event": rsvp.event.title})
        return redirect("supporters:my_data", token=token)
    return render(request, "events/my_data_rsvp.html", {"rsvp": rsvp, "event": rsvp.event, "token": token})


# --- Organisers' area ---------------------------------------------------------------------


def _editable_campaigns(user):
    return Campaign.objects.filter(organisation__in=editable_organisations_for(user))


def _event_or_404(request, pk) -> Event:
    return get_object_or_404(queries.editable_events(request.user), pk=pk)


@login_required
def organise(request):
    events = queries.editable_events(request.user).order_by("-starts_at")
    return render(request, "events/organise.html", {"events": events, "can_create": _editable_campaigns(request.user).exists(), "now": timezone.now()})


@login_required
def event_edit(request, pk=None):
    campaigns = _editable_campaigns(request.user)
    event = _event_or_404(request, pk) if pk is not None else None
    if event is not None and event.status == Event.Status.CANCELLED:
        messages.error(request, gettext("A cancelled event cannot be changed. Create a new event instead."))
        return redirect("events:organise_detail", pk=event.pk)
    if event is None and not campaigns.exists():
        messages.error(request, gettext("Create a campaign first: every event belongs to one."))
        return redirect("composition:organise")
    initial = {}
    if event is None and request.GET.get("campaign", "").isdigit():
        initial["campaign"] = request.GET["campaign"]
    form = EventForm(request.POST or None, instance=event, campaigns=campaigns, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            saved = actions.save_event(form=form)
            messages.success(request, gettext("Saved the event “%(title)s”.") % {"title": saved.title})
            return redirect("events:organise_detail", pk=saved.pk)
        return render(request, "events/edit.html", {"form": form, "event": event}, status=400)
    return render(request, "events/edit.html", {"form": form, "event": event})


@login_required
def organise_detail(request, pk):
    event = _event_or_404(request, pk)
    return render(
        request, "events/organise_detail.html",
        {
            "event": event, "needs": queries.needs_by_kind(event), "attendance_count": queries.attendance_count(event),
            "places_left": queries.places_left(event), "past": event.is_past(),
            "waiting": event.rsvps.filter(status=RSVP.Status.WAITING).count(),
        },
    )


@login_required
@require_POST
def publish(request, pk):
    event = _event_or_404(request, pk)
    try:
        actions.publish_event(event=event)
    except EventError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, gettext("Published “%(title)s”: it is on the campaign's page.") % {"title": event.title})
    return redirect("events:organise_detail", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_event(request, pk):
    event = _event_or_404(request, pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        told = actions.cancel_event(event=event)
        messages.success(request, gettext("Cancelled “%(title)s”. We are emailing the %(count)s people who had a place or were waiting.") % {"title": event.title, "count": told})
        return redirect("events:organise_detail", pk=event.pk)
    return render(request, "events/cancel_event.html", {"event": event, "told": event.rsvps.filter(status__in=[RSVP.Status.CONFIRMED, RSVP.Status.WAITING]).count()})


@never_cache  # access needs are health data: never kept in any cache
@login_required
def attendees(request, pk):
    """Who replied, with their access needs: organisers of the event's organisation only, and
    each opening of this page is recorded (shown at its foot)."""
    event = _event_or_404(request, pk)
    actions.record_attendee_list_view(event=event, user=request.user)
    return render(
        request, "events/attendees.html",
        {"event": event, "attendees": queries.attendees(event), "needs": queries.needs_by_kind(event), "views": event.attendee_list_views.all()[:20]},
    )


@never_cache  # names of the people coming
@login_required
def sign_in(request, pk):
    event = _event_or_404(request, pk)
    return render(request, "events/sign_in.html", {"event": event, "people": queries.sign_in_list(event)})


@never_cache
@login_required
def sign_in_csv(request, pk):
    event = _event_or_404(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sign-in-event-{event.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow([gettext("Name"), gettext("Taking part"), gettext("Signature")])
    labels = dict(RSVP.Attendance.choices)
    for person in queries.sign_in_list(event):
        writer.writerow([_safe_cell(person["name"]), labels.get(person["attendance"], ""), ""])
    return response


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
