"""Petition pages: request in, form, action, response out. The rules live in actions."""

import csv
import functools
import json
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext as _  # noqa: E402  (short form in long expressions)
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST
from csp.decorators import csp_replace

from groundswell.accounts.queries import editable_organisations_for
from groundswell.campaigns.models import Campaign
from groundswell.campaigns.queries import cached_partners_of
from groundswell.core.crossorigin import origin_checked
from groundswell.core.pagecache import anonymous_page, cached_bytes
from groundswell.core.slugs import save_with_unique_slug
from groundswell.geography.queries import checked_sort
from groundswell.petitions.areas import petition_area_context, petition_area_json
from groundswell.petitions import actions, queries
from groundswell.petitions.errors import InvalidStateChange, PetitionNotOpen, WelshTextMissing
from groundswell.petitions.forms import (
    PetitionForm, PetitionSearchForm, SignatureForm, consent_wording, share_name_wording, updates_wording,
)
from groundswell.petitions.versions import version_changes
from groundswell.petitions.models import Petition, Signature
from groundswell.petitions.partner_fields import checked_source
from groundswell.core.signed_links import ExpiredToken, InvalidToken
from groundswell.petitions.tokens import CONFIRMATION_LINK
from groundswell.protection.screening import EXPIRED_FORM_MESSAGE, screen_signature


def _visible_petition_or_404(slug):
    petition = queries.get_visible_petition(slug)
    if petition is None:
        raise Http404
    return petition


def _petition_url(petition) -> str:
    return f"{settings.SITE_URL}{reverse('petitions:detail', args=[petition.slug])}"


def _share_links(request, petition):
    url = _petition_url(petition)
    text = quote(_("%(title)s: please sign and share %(url)s") % {"title": petition.title, "url": url})
    return [
        (_("Email"), f"mailto:?subject={quote(petition.title)}&body={text}"),
        ("WhatsApp", f"https://wa.me/?text={text}"),
        ("Bluesky", f"https://bsky.app/intent/compose?text={text}"),
        ("X (Twitter)", f"https://twitter.com/intent/tweet?text={text}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={quote(url)}"),
    ], url


def _petition_page(request, petition, form, *, status=200, closed_attempt=False, extra_context=None):
    by_channel = queries.count_by_channel(petition)
    count = sum(by_channel.values())
    share_links, share_url = _share_links(request, petition)
    progress = petition.milestone_progress(count)
    response = render(
        request,
        "petitions/detail.html",
        {
            "petition": petition,
            "campaign": petition.campaign,
            "form": form,
            "count": count,
            "progress": progress,
            "accepting": petition.is_accepting_signatures(),
            "closed_attempt": closed_attempt,
            "share_links": share_links,
            "share_url": share_url,
            # "3,912 online, 210 on paper": shown once anything was signed other than online.
            "channel_counts": queries.channel_summary(by_channel) if by_channel["online"] != count else [],
            "partners": form.partners if form is not None else cached_partners_of(petition.campaign),
            **(extra_context or {}),
            **petition_area_context(request, petition),
        },
        status=status,
    )
    if request.method == "POST":
        # The form shown again holds the name and email the person typed: never kept in a cache.
        add_never_cache_headers(response)
    return response


def _preview_or_404(request, slug):
    """An organiser's preview of a petition the public cannot see: labelled as such, with no
    sign form (a POST is refused), rendered fresh for them and never stored in any cache."""
    petition = queries.get_previewable_petition(slug, request.user)
    if petition is None:
        raise Http404
    response = render(
        request,
        "petitions/detail.html",
        {
            "petition": petition,
            "campaign": petition.campaign,
            "preview": True,
            "preview_draft": petition.state == Petition.State.DRAFT,
            "signing_refused": request.method == "POST",
            "count": queries.count_signatures(petition),
            "progress": petition.milestone_progress(0),
            "accepting": False,
            "share_url": f"{settings.SITE_URL}{reverse('petitions:detail', args=[petition.slug])}",
        },
        status=409 if request.method == "POST" else 200,
    )
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


@origin_checked  # a public form: cross-site POSTs are refused by origin, so the page holds no token
def petition_detail(request, slug):
    petition = queries.get_visible_petition(slug)
    if petition is None:
        return _preview_or_404(request, slug)
    if request.method != "POST":
        # The constituency table's sort (from ?sort=) changes the page: part of the cache key,
        # checked, so made-up values cannot fill the cache.
        sort = checked_sort(request.GET.get("sort")) if "sort" in request.GET else ""
        # A partner's link (?source=<slug>): checked against the campaign's partners, so only
        # real partners' names reach the form and the cache key.
        partners = cached_partners_of(petition.campaign)
        source = checked_source(partners, request.GET.get("source"))
        source_slug = source.slug if source else ""
        return anonymous_page(
            request,
            key=f"petition:{petition.pk}:{petition.updated_at.timestamp()}:{sort}:{source_slug}",
            render=lambda extra: _petition_page(
                request, petition, SignatureForm(petition=petition, source=source_slug, partners=partners), extra_context=extra
            ),
        )
    form = SignatureForm(request.POST, petition=petition)
    if not petition.is_accepting_signatures():
        return _petition_page(request, petition, form, status=409, closed_attempt=True)
    if not form.is_valid():
        return _petition_page(request, petition, form, status=400)
    data = form.cleaned_data
    screening = screen_signature(request, petition=petition, email=data["email"])
    if screening.form_expired:
        form.add_error(None, EXPIRED_FORM_MESSAGE)
        return _petition_page(request, petition, form, status=400)
    try:
        result = actions.sign_petition(
            petition=petition,
            name=data["name"],
            email=data["email"],
            # The full postcode is only needed to find the constituency: it is not kept (docs/privacy.md).
            postcode="",
            country=data["country"],
            constituency_code=data["constituency_code"],
            consent_text=consent_wording(petition),
            updates_text=updates_wording(petition) if data["updates"] else None,
            name_text=share_name_wording(petition) if data["share_name"] else None,
            partner_opt_ins=form.partner_opt_ins(),
            source_partner=form.source_partner(),
            **screening.signature_fields,
        )
    except PetitionNotOpen:
        return _petition_page(request, petition, form, status=409, closed_attempt=True)
    check_email_url = reverse("petitions:check_email", args=[petition.slug])
    return redirect(check_email_url if result.email_queued else f"{check_email_url}?already=sent")


def check_email(request, slug):
    """Where a signer is sent next. `?already=sent`: this address had as many emails as we send
    in an hour, so we say the email is already on its way rather than sending another. The same
    page for every signer of a petition, so it is served from the page cache."""
    petition = _visible_petition_or_404(slug)
    already_sent = request.GET.get("already") == "sent"
    return anonymous_page(
        request,
        key=f"check-email:{petition.pk}:{petition.updated_at.timestamp()}:{already_sent}",
        render=lambda extra: render(
            request,
            "petitions/check_email.html",
            {"petition": petition, "confirmation_days": settings.SIGNATURE_CONFIRMATION_DAYS, "already_sent": already_sent, **extra},
        ),
    )


@never_cache  # one person's link: no browser or proxy keeps it
@origin_checked  # a public form: the button's POST is refused from another site; no token needed
def confirm(request, slug, token):
    """GET shows a button; only the POST it sends confirms (mail scanners only GET).

    The GET reads no database: the link's signature proves it is ours and in date, and the page
    with the button is the same for every signer of the petition (from the page cache). What is
    left to know (withdrawn since, or already confirmed) the POST finds out and says."""
    petition = _visible_petition_or_404(slug)
    try:
        public_id = CONFIRMATION_LINK.read(token)
    except ExpiredToken:
        return render(request, "petitions/confirm_invalid.html", {"petition": petition, "expired": True}, status=410)
    except InvalidToken:
        return render(request, "petitions/confirm_invalid.html", {"petition": petition}, status=404)
    if request.method != "POST":
        return anonymous_page(
            request,
            key=f"confirm:{petition.pk}:{petition.updated_at.timestamp()}",
            render=lambda extra: render(request, "petitions/confirm.html", {"petition": petition, **extra}),
        )
    signature = queries.signature_to_confirm(petition, public_id)
    if signature is None:
        # Expired and purged, or withdrawn: either way there is nothing left to confirm.
        return render(request, "petitions/confirm_invalid.html", {"petition": petition, "expired": True}, status=410)
    if signature.confirmed_at is not None:
        return render(request, "petitions/confirm.html", {"petition": petition, "already_confirmed": True})
    actions.confirm_signature(signature=signature)
    return redirect("petitions:confirmed", slug=petition.slug)


def confirmed(request, slug):
    """"Thank you": the same for everyone, the count at most the page cache's seconds old."""
    petition = _visible_petition_or_404(slug)

    def page(extra):
        share_links, share_url = _share_links(request, petition)
        context = {"petition": petition, "count": queries.count_signatures(petition), "share_links": share_links, "share_url": share_url}
        return render(request, "petitions/confirmed.html", {**context, **extra})

    return anonymous_page(request, key=f"confirmed:{petition.pk}:{petition.updated_at.timestamp()}", render=page)


def petition_json(request, slug):
    petition = _visible_petition_or_404(slug)
    body = cached_bytes(key=f"petition-json:{petition.pk}:{petition.updated_at.timestamp()}", build=lambda: _petition_json(request, petition))
    response = HttpResponse(body, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _petition_json(request, petition) -> bytes:
    by_channel = queries.count_by_channel(petition)
    count = sum(by_channel.values())
    progress = petition.milestone_progress(count)
    data = {
        "slug": petition.slug,
        "title": petition.title,
        "ask": petition.ask,
        "addressed_to": petition.addressed_to,
        "url": f"{settings.SITE_URL}{reverse('petitions:detail', args=[petition.slug])}",
        "campaign": {"slug": petition.campaign.slug, "title": petition.campaign.title},
        "organisation": petition.campaign.organisation.name,
        "state": petition.state,
        "accepting_signatures": petition.is_accepting_signatures(),
        "opens_on": petition.opens_on.isoformat(),
        "closes_on": petition.closes_on.isoformat(),
        "signature_count": count,
        "signatures_online": by_channel["online"],
        "signatures_on_paper": by_channel["paper"],
        "signatures_assisted": by_channel["assisted"],
        "text_version": petition.text_version,
        "versions_url": f"{settings.SITE_URL}{reverse('petitions:versions', args=[petition.slug])}",
        "milestones": [{"signatures": m, "reached": m <= count} for m in sorted(set(petition.milestones or []))],
        "next_milestone": progress["next"],
        "counts_csv": f"{settings.SITE_URL}{reverse('petitions:counts_csv', args=[petition.slug])}",
        "is_demo": petition.campaign.is_demo,
        **petition_area_json(request, petition),
    }
    return json.dumps(data, ensure_ascii=False).encode()


class _Echo:
    def write(self, value):
        return value


def counts_csv(request, slug):
    """Confirmed signatures per area, streamed row by row (constant memory however many areas)."""
    petition = _visible_petition_or_404(slug)
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(["petition", "country", "constituency_code", "signatures"])
        for row in queries.count_signatures_by_area(petition).iterator(chunk_size=2000):
            yield writer.writerow([petition.slug, row["country"], row["constituency_code"], row["signatures"]])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{petition.slug}-counts.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def petition_versions(request, slug):
    """Every version of the petition's title and ask, and what changed from the one before."""
    petition = _visible_petition_or_404(slug)
    versions = queries.versions_of(petition)
    return render(request, "petitions/versions.html", {
        "petition": petition, "campaign": petition.campaign, "changes": version_changes(versions),
    })


# --- Finding a petition, and showing one on another website ------------------------------

OPEN_PETITIONS_PER_PAGE = 20


def petition_list(request):
    """Every open petition, most signed or newest first, a page at a time, with a search by title.

    Without a search the page is the same for every anonymous visitor and is served from the
    page cache, keyed by the checked sort and page number only (so made-up parameters can
    neither fill the cache nor appear in another visitor's links). Searches are not cached.
    """
    sort = request.GET.get("sort") if request.GET.get("sort") in queries.OPEN_PETITION_ORDERS else "signatures"
    form = PetitionSearchForm(request.GET)
    if not form.is_valid():
        return _petition_list_page(request, form, sort, page=None, status=400)
    search = form.cleaned_data["q"]
    page = Paginator(queries.open_petitions(order=sort, title_contains=search), OPEN_PETITIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    if search:
        return _petition_list_page(request, form, sort, page=page, search=search)
    return anonymous_page(
        request,
        key=f"open-petitions:{sort}:{page.number}",
        render=lambda extra: _petition_list_page(request, form, sort, page=page, extra_context=extra),
    )


def _petition_list_page(request, form, sort, *, page, search="", status=200, extra_context=None):
    def link(**params):
        params = {"q": search, "sort": sort, **params}
        return "?" + urlencode({key: value for key, value in params.items() if value and value != 1})

    return render(
        request,
        "petitions/list.html",
        {
            "form": form,
            "search": search,
            "sort": sort,
            "page": page,
            "sort_links": [(key, label, link(sort=key)) for key, label in (("signatures", _("Most signed")), ("newest", _("Newest")))],
            "previous_link": link(page=page.previous_page_number()) if page and page.has_previous() else "",
            "next_link": link(page=page.next_page_number()) if page and page.has_next() else "",
            **(extra_context or {}),
        },
        status=status,
    )


def embed_policy() -> dict:
    """The Content-Security-Policy of the embeddable card, replacing the site's directives.

    Read from settings on each request (EMBED_FRAME_ANCESTORS), so a change of setting needs no
    code. The card runs no script at all and loads only our own stylesheet.
    """
    return {
        "default-src": ["'none'"],
        "script-src": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "connect-src": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": list(settings.EMBED_FRAME_ANCESTORS) or ["'none'"],
    }


def petition_embed(request, slug):
    """A small card for partners' websites: the only page other sites may put in a frame.

    X-Frame-Options is left off (it cannot name a list of sites) and CSP frame-ancestors says
    who may frame it; every other page keeps X-Frame-Options DENY and frame-ancestors 'none'.
    The card is the same for everyone and has no form, so it is cached as bytes and sets no
    cookie on a partner's visitors (anonymous_page would set the CSRF cookie).
    """
    return csp_replace(embed_policy())(xframe_options_exempt(_petition_embed))(request, slug)


def _petition_embed(request, slug):
    petition = _visible_petition_or_404(slug)

    def build() -> bytes:
        count = queries.count_signatures(petition)
        return render_to_string(
            "petitions/embed.html",
            {
                "petition": petition,
                "count": count,
                "progress": petition.milestone_progress(count),
                "accepting": petition.is_accepting_signatures(),
                "petition_url": _petition_url(petition),
            },
        ).encode()

    body = cached_bytes(key=f"petition-embed:{petition.pk}:{petition.updated_at.timestamp()}", build=build)
    return HttpResponse(body, content_type="text/html; charset=utf-8")


def embed_snippet(petition) -> str:
    """The HTML an organiser pastes into a partner's page; the title attribute names the frame
    for screen-reader users."""
    src = f"{settings.SITE_URL}{reverse('petitions:embed', args=[petition.slug])}"
    title = _("Petition: %(title)s") % {"title": petition.title}
    return f'<iframe src="{escape(src)}" title="{escape(title)}" width="360" height="260" loading="lazy"></iframe>'


# --- Organisers' area ---------------------------------------------------------------------


def _editable_campaigns(user):
    return Campaign.objects.filter(organisation__in=editable_organisations_for(user))


@login_required
def petition_edit(request, pk=None):
    campaigns = _editable_campaigns(request.user)
    petition = get_object_or_404(Petition, pk=pk, campaign__in=campaigns) if pk is not None else None
    if petition is None and not campaigns.exists():
        messages.error(request, gettext("Create a campaign first: every petition belongs to one."))
        return redirect("composition:organise")
    initial = {"campaign": request.GET.get("campaign")} if petition is None else None
    form = PetitionForm(request.POST or None, instance=petition, campaigns=campaigns, initial=initial)
    if request.method == "POST" and form.is_valid() and (saved := save_with_unique_slug(functools.partial(actions.save_petition, user=request.user), form=form)):
        petition = saved
        messages.success(request, gettext("Saved the petition “%(title)s”.") % {"title": petition.title})
        return redirect("composition:organise")
    return render(
        request,
        "petitions/edit.html",
        {"form": form, "petition": petition, "embed_snippet": embed_snippet(petition) if petition else ""},
    )


@login_required
@require_POST
def petition_state(request, pk):
    petition = get_object_or_404(Petition, pk=pk, campaign__in=_editable_campaigns(request.user))
    try:
        actions.change_petition_state(petition=petition, state=request.POST.get("state", ""))
    except WelshTextMissing:
        messages.error(request, _(
            "“%(title)s” cannot be opened yet: your organisation works in Welsh and English, so it needs its "
            "title, what it asks for and why it matters in Welsh too. Add them on the petition's edit page, then open it."
        ) % {"title": petition.title})
    except InvalidStateChange:
        messages.error(request, _("That change is not possible for this petition."))
    else:
        messages.success(request, _("“%(title)s” is now %(state)s.") % {"title": petition.title, "state": petition.get_state_display().split(" (")[0].lower()})
    return redirect("composition:organise")
