"""The organisers' API: OSDI-shaped JSON (HAL: `_links`, `_embedded`) under /api/v1/.

Every request carries a token (`OSDI-API-Token: <token>`, as Action Network's API, or
`Authorization: Bearer <token>`). The token names its organisation and scope; the API never looks
at cookies or sessions, so it is not open to cross-site request forgery and is exempt from the
CSRF check. An organisation reads only what petitions/supporters.py lets it see, whatever id is
tried: anything else is a 404, as if it did not exist. Every read of people's details is logged
as an export (petitions.models.SupporterExport, channel "api").

Bad input gets a 400 with a JSON `error` saying what to change, and changes nothing: a body that
is not JSON, a field the resource does not have, a page size above API_MAX_PAGE_SIZE.
"""

import functools
import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.models import Min, Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from groundswell.api import actions
from groundswell.api.actions import ApiError
from groundswell.api.models import ApiToken, Tag, Tagging
from groundswell.api.tokens import token_hash
from groundswell.petitions.actions import record_export
from groundswell.petitions.models import Petition
from groundswell.petitions.queries import count_signatures_for_petitions
from groundswell.petitions.supporters import consent_for, partnerships_of, visible_supporters

READ_METHODS = {"GET", "HEAD"}
MAX_NAME = 100


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message, "status": status}, status=status)


def _token_from(request) -> ApiToken | None:
    raw = request.headers.get("OSDI-API-Token", "")
    if not raw and request.headers.get("Authorization", "").startswith("Bearer "):
        raw = request.headers["Authorization"][len("Bearer "):]
    raw = raw.strip()
    if not raw or len(raw) > 200:
        return None
    return ApiToken.objects.select_related("organisation").filter(token_sha256=token_hash(raw), revoked_at__isnull=True).first()


def endpoint(*methods):
    """An API view: the token checked on every request (a revoked one fails at once), the method
    and scope checked, domain errors turned into JSON."""

    def decorate(view):
        @csrf_exempt  # token only, never cookies: see the module's docstring
        @never_cache
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            token = _token_from(request)
            if token is None:
                response = _error("Send a valid API token in the OSDI-API-Token header (or Authorization: Bearer).", 401)
                response["WWW-Authenticate"] = 'Bearer realm="groundswell"'
                return response
            if request.method not in methods:
                response = _error(f"This resource answers {', '.join(sorted(methods))}.", 405)
                response["Allow"] = ", ".join(sorted(methods))
                return response
            if request.method not in READ_METHODS and not token.can_write:
                return _error("This token may only read: make a token with the read and write scope.", 403)
            now = timezone.now()
            if token.last_used_at is None or token.last_used_at < now - timedelta(minutes=1):
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            try:
                return view(request, token, *args, **kwargs)
            except ApiError as error:
                return _error(error.message, error.status)
            except RequestDataTooBig:
                return _error("The request body is too large.", 413)

        return wrapped

    return decorate


def _url(name, *args) -> str:
    return settings.SITE_URL + reverse(f"api:{name}", args=args)


def _body(request, allowed: set[str]) -> dict:
    """The JSON object sent, with only fields the resource has; ApiError (400) otherwise."""
    try:
        data = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApiError(f"The body is not valid JSON ({error}). Send a JSON object, e.g. {{\"name\": \"volunteers\"}}.") from None
    if not isinstance(data, dict):
        raise ApiError("Send a JSON object, e.g. {\"name\": \"volunteers\"}.")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ApiError(f"Unknown field(s): {', '.join(unknown)}. This resource takes: {', '.join(sorted(allowed))}.")
    return data


def _page(request, queryset, *, name: str, link_name: str, link_args=()):
    """OSDI pagination: ?page= (from 1) and ?per_page= (up to API_MAX_PAGE_SIZE)."""
    limit = settings.API_MAX_PAGE_SIZE

    def number(key, default):
        raw = request.GET.get(key, str(default))
        if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
            raise ApiError(f"{key} must be a whole number from 1, not {raw[:20]!r}.")
        return int(raw)

    page, per_page = number("page", 1), number("per_page", min(25, limit))
    if per_page > limit:
        raise ApiError(f"per_page may be at most {limit}; you asked for {per_page}. Ask for the next page instead.")
    total = queryset.count()
    items = list(queryset[(page - 1) * per_page : page * per_page])
    total_pages = max(1, -(-total // per_page))
    base = _url(link_name, *link_args)
    links = {"self": {"href": f"{base}?page={page}&per_page={per_page}"}}
    if page < total_pages:
        links["next"] = {"href": f"{base}?page={page + 1}&per_page={per_page}"}
    if page > 1:
        links["prev"] = {"href": f"{base}?page={page - 1}&per_page={per_page}"}
    meta = {"total_pages": total_pages, "per_page": per_page, "page": page, "total_records": total, "_links": links}
    return items, meta, name


def _collection(items_json, meta, name):
    return JsonResponse({**meta, "_embedded": {name: items_json}})


# -- the entry point -------------------------------------------------------------------------------


@endpoint("GET")
def entry_point(request, token):
    return JsonResponse(
        {
            "motd": "Groundswell's organisers' API (OSDI-shaped).",
            "vendor_name": "Groundswell",
            "product_name": "Groundswell",
            "osdi_version": "1.2",
            "organisation": {"name": token.organisation.name, "slug": token.organisation.slug},
            "scope": token.scope,
            "max_page_size": settings.API_MAX_PAGE_SIZE,
            "_links": {
                "self": {"href": _url("entry_point")},
                "osdi:people": {"href": _url("people")},
                "osdi:petitions": {"href": _url("petitions")},
                "osdi:tags": {"href": _url("tags")},
                "docs": {"href": settings.SITE_URL + "/docs/api.md"},
            },
        }
    )


# -- people ---------------------------------------------------------------------------------------


def _first_signature_ids(organisation_id: int, emails=None):
    people = visible_supporters(organisation_id).order_by()
    if emails is not None:
        people = people.filter(email_normalised__in=list(emails))
    return people.values("email_normalised").annotate(first_id=Min("pk")).order_by("first_id")


def _person_json(signature, organisation_id: int) -> dict:
    text, given_at, kind = consent_for(signature, organisation_id)
    given, _, family = signature.name.rpartition(" ")
    person_id = str(signature.public_id)
    return {
        "identifiers": [f"groundswell:{person_id}"],
        "id": person_id,
        "given_name": given or signature.name,
        "family_name": family if given else "",
        "email_addresses": [{"address": signature.email, "primary": True, "status": "subscribed"}],
        "postal_addresses": [{"country": str(signature.country), "region": signature.constituency_code}],
        "created_date": signature.created_at.isoformat(),
        "custom_fields": {"consent": text, "consent_given_at": given_at.isoformat(), "consent_to": kind},
        "_links": {"self": {"href": _url("person", person_id)}},
    }


def _log_read(token, rows: int) -> None:
    if rows:
        record_export(organisation_id=token.organisation_id, by=token.created_by, rows=rows, channel="api")


@endpoint("GET")
def people(request, token):
    organisation_id = token.organisation_id
    firsts, meta, name = _page(request, _first_signature_ids(organisation_id), name="osdi:people", link_name="people")
    by_pk = visible_supporters(organisation_id).in_bulk([row["first_id"] for row in firsts])
    found = [_person_json(by_pk[row["first_id"]], organisation_id) for row in firsts if row["first_id"] in by_pk]
    _log_read(token, len(found))
    return _collection(found, meta, name)


def _visible_person(token, person_id: str):
    try:
        public_id = uuid.UUID(person_id)
    except ValueError:
        raise ApiError("No such person.", 404) from None
    visible = visible_supporters(token.organisation_id)
    signature = visible.filter(public_id=public_id).first()
    if signature is None:
        raise ApiError("No such person.", 404)
    return visible.filter(email_normalised=signature.email_normalised).first()


@endpoint("GET")
def person(request, token, person_id):
    first = _visible_person(token, person_id)
    _log_read(token, 1)
    return JsonResponse(_person_json(first, token.organisation_id))


# -- petitions and signatures ---------------------------------------------------------------------


def _visible_petitions(organisation_id: int):
    partner_campaigns = partnerships_of(organisation_id).values("campaign_id")
    return (
        Petition.objects.filter(
            Q(campaign__organisation_id=organisation_id)
            | (Q(campaign_id__in=partner_campaigns) & ~Q(state=Petition.State.DRAFT))
        )
        .select_related("campaign__organisation")
        .order_by("-created_at", "-pk")
    )


def _petition_json(petition, count: int) -> dict:
    return {
        "identifiers": [f"groundswell:{petition.slug}"],
        "title": petition.title,
        "description": petition.why,
        "petition_text": petition.ask,
        "target": [{"name": petition.addressed_to}],
        "state": petition.state,
        "created_date": petition.created_at.isoformat(),
        "modified_date": petition.updated_at.isoformat(),
        "opens_on": petition.opens_on.isoformat(),
        "closes_on": petition.closes_on.isoformat(),
        "total_signatures": count,
        "browser_url": settings.SITE_URL + reverse("petitions:detail", args=[petition.slug]),
        "campaign": {"slug": petition.campaign.slug, "title": petition.campaign.title, "organisation": petition.campaign.organisation.name},
        "_links": {"self": {"href": _url("petition", petition.slug)}, "osdi:signatures": {"href": _url("signatures", petition.slug)}},
    }


@endpoint("GET")
def petitions(request, token):
    found, meta, name = _page(request, _visible_petitions(token.organisation_id), name="osdi:petitions", link_name="petitions")
    counts = count_signatures_for_petitions(found)
    return _collection([_petition_json(p, counts.get(p.pk, 0)) for p in found], meta, name)


def _petition_or_404(token, slug):
    petition = _visible_petitions(token.organisation_id).filter(slug=slug).first()
    if petition is None:
        raise ApiError("No such petition.", 404)
    return petition


@endpoint("GET")
def petition(request, token, slug):
    found = _petition_or_404(token, slug)
    return JsonResponse(_petition_json(found, count_signatures_for_petitions([found]).get(found.pk, 0)))


@endpoint("GET")
def signatures(request, token, slug):
    """The signatures on a petition of the people this organisation may see (its own opted-in
    signers, or a partner's); `total_signatures` on the petition counts everyone."""
    found = _petition_or_404(token, slug)
    organisation_id = token.organisation_id
    rows, meta, name = _page(
        request, visible_supporters(organisation_id).filter(petition=found), name="osdi:signatures", link_name="signatures", link_args=(slug,)
    )
    firsts = {r["email_normalised"]: r["first_id"] for r in _first_signature_ids(organisation_id, {s.email_normalised for s in rows})}
    person_ids = dict(visible_supporters(organisation_id).filter(pk__in=firsts.values()).values_list("pk", "public_id"))
    items = [
        {
            "identifiers": [f"groundswell:{s.public_id}"],
            "created_date": s.created_at.isoformat(),
            "modified_date": (s.confirmed_at or s.created_at).isoformat(),
            "referrer_data": {"source": s.source_partner.slug if s.source_partner_id else None},
            "_links": {
                "osdi:person": {"href": _url("person", str(person_ids.get(firsts.get(s.email_normalised), s.public_id)))},
                "osdi:petition": {"href": _url("petition", slug)},
            },
        }
        for s in rows
    ]
    _log_read(token, len(items))
    return _collection(items, meta, name)


# -- tags and taggings ----------------------------------------------------------------------------


def _tag_json(tag) -> dict:
    return {
        "identifiers": [f"groundswell:tag-{tag.pk}"],
        "id": tag.pk,
        "name": tag.name,
        "created_date": tag.created_at.isoformat(),
        "_links": {"self": {"href": _url("tag", tag.pk)}, "osdi:taggings": {"href": _url("taggings", tag.pk)}},
    }


def _clean_name(data) -> str:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError("name is required: a short text, e.g. \"volunteers\".")
    name = " ".join(name.split())
    if len(name) > MAX_NAME or "\x00" in name:
        raise ApiError(f"name may be at most {MAX_NAME} characters, with no NUL characters.")
    return name


@endpoint("GET", "POST")
def tags(request, token):
    if request.method == "POST":
        tag = actions.create_tag(organisation_id=token.organisation_id, name=_clean_name(_body(request, {"name"})))
        return JsonResponse(_tag_json(tag), status=201)
    found, meta, name = _page(request, Tag.objects.filter(organisation_id=token.organisation_id).order_by("pk"), name="osdi:tags", link_name="tags")
    return _collection([_tag_json(t) for t in found], meta, name)


def _tag_or_404(token, pk) -> Tag:
    tag = Tag.objects.filter(organisation_id=token.organisation_id, pk=pk).first()
    if tag is None:
        raise ApiError("No such tag.", 404)
    return tag


@endpoint("GET", "DELETE")
def tag(request, token, pk):
    found = _tag_or_404(token, pk)
    if request.method == "DELETE":
        actions.delete_tag(tag=found)
        return JsonResponse({"deleted": True})
    return JsonResponse(_tag_json(found))


def _person_from_tagging_body(token, data):
    person_id = data.get("person_id")
    links = data.get("_links")
    if person_id is None and isinstance(links, dict):
        href = (links.get("osdi:person") or {}).get("href", "") if isinstance(links.get("osdi:person"), dict) else ""
        person_id = href.rstrip("/").rsplit("/", 1)[-1] if href else None
        unknown = sorted(set(links) - {"osdi:person"})
        if unknown:
            raise ApiError(f"Unknown link(s): {', '.join(unknown)}. A tagging links to osdi:person.")
    if not isinstance(person_id, str):
        raise ApiError("Name the person: {\"person_id\": \"<id>\"} or {\"_links\": {\"osdi:person\": {\"href\": \"…/people/<id>\"}}}.")
    return _visible_person(token, person_id)


def _tagging_json(tagging, person_id) -> dict:
    return {
        "identifiers": [f"groundswell:tagging-{tagging.pk}"],
        "created_date": tagging.created_at.isoformat(),
        "_links": {
            "self": {"href": _url("tagging", tagging.tag_id, tagging.pk)},
            "osdi:tag": {"href": _url("tag", tagging.tag_id)},
            "osdi:person": {"href": _url("person", person_id)} if person_id else None,
        },
    }


@endpoint("GET", "POST")
def taggings(request, token, pk):
    found = _tag_or_404(token, pk)
    organisation_id = token.organisation_id
    if request.method == "POST":
        person_signature = _person_from_tagging_body(token, _body(request, {"person_id", "_links"}))
        tagging, created = actions.tag_person(tag=found, email_normalised=person_signature.email_normalised)
        return JsonResponse(_tagging_json(tagging, str(person_signature.public_id)), status=201 if created else 200)
    # Only taggings of people the organisation may still see (someone may have withdrawn).
    rows, meta, name = _page(request, Tagging.objects.filter(tag=found).order_by("pk"), name="osdi:taggings", link_name="taggings", link_args=(found.pk,))
    firsts = {r["email_normalised"]: r["first_id"] for r in _first_signature_ids(organisation_id, {t.email_normalised for t in rows})}
    person_ids = dict(visible_supporters(organisation_id).filter(pk__in=firsts.values()).values_list("pk", "public_id"))
    items = [_tagging_json(t, str(person_ids[firsts[t.email_normalised]])) for t in rows if t.email_normalised in firsts]
    return _collection(items, meta, name)


@endpoint("GET", "DELETE")
def tagging(request, token, pk, tagging_pk):
    found = _tag_or_404(token, pk)
    row = Tagging.objects.filter(tag=found, pk=tagging_pk).first()
    if row is None:
        raise ApiError("No such tagging.", 404)
    if request.method == "DELETE":
        actions.untag_person(tagging=row)
        return JsonResponse({"deleted": True})
    return JsonResponse(_tagging_json(row, None))


def not_found(request, rest=""):
    return _error("No such resource: see /api/v1/ for the entry point.", 404)
