"""The organisers' API: tokens per organisation (scoped, revocable, hashed, shown once), OSDI
shapes, an organisation (or a partner) reading exactly what it may, and bad input refused clearly."""

import json

import pytest
from django.urls import reverse

from groundswell.api import actions
from groundswell.api.models import ApiToken, Tag, Tagging
from groundswell.api.tokens import token_hash
from groundswell.petitions.forms import updates_wording
from groundswell.petitions.models import SupporterExport
from groundswell.petitions.partner_fields import partner_wording
from tests.factories import make_campaign, make_organisation, make_organiser, make_partner, make_petition, make_signature

pytestmark = pytest.mark.django_db


def signed(petition, email, *, partners=(), updates=False):
    return make_signature(
        petition, email, partner_opt_ins=[(p, partner_wording(p)) for p in partners],
        updates_text=updates_wording(petition) if updates else None,
    )


@pytest.fixture
def world():
    lead, mind, stranger = make_organisation("Lead"), make_organisation("Mind"), make_organisation("Stranger")
    owners = {o: make_organiser(o, email=f"owner-{o.slug}@example.org", role="owner") for o in (lead, mind, stranger)}
    campaign = make_campaign(lead)
    petition = make_petition(campaign, slug="the-petition")
    other_petition = make_petition(make_campaign(stranger), slug="strangers-petition")
    partner = make_partner(campaign, mind, slug="mind")
    people = {
        "lead": signed(petition, "lead-yes@example.org", updates=True),
        "mind": signed(petition, "mind-yes@example.org", partners=[partner]),
        "nobody": signed(petition, "nobody@example.org"),
        "stranger": signed(other_petition, "stranger-yes@example.org", updates=True),
    }
    tokens = {o.slug: actions.create_token(organisation=o, name="CRM", scope="write", by=owners[o])[1] for o in (lead, mind, stranger)}
    return {"lead": lead, "mind": mind, "stranger": stranger, "owners": owners, "people": people, "tokens": tokens, "petition": petition, "partner": partner}


def call(client, token, path, method="get", body=None, **headers):
    kwargs = {"HTTP_OSDI_API_TOKEN": token} if token else {}
    kwargs.update(headers)
    if body is not None:
        kwargs.update(data=body if isinstance(body, str) else json.dumps(body), content_type="application/json")
    return getattr(client, method)(path, **kwargs)


def emails_in(response) -> set[str]:
    return {p["email_addresses"][0]["address"] for p in response.json()["_embedded"]["osdi:people"]}


def test_each_organisation_reads_exactly_its_own_people_and_a_partner_exactly_its_opt_ins(client, world):
    lead, mind, stranger = (world["tokens"][o.slug] for o in (world["lead"], world["mind"], world["stranger"]))
    assert emails_in(call(client, lead, "/api/v1/people")) == {"lead-yes@example.org"}
    assert emails_in(call(client, mind, "/api/v1/people")) == {"mind-yes@example.org"}
    assert emails_in(call(client, stranger, "/api/v1/people")) == {"stranger-yes@example.org"}
    # Ids of people another organisation may see are 404s, as if they did not exist.
    allowed = {(world["lead"].slug, "lead"), (world["mind"].slug, "mind"), (world["stranger"].slug, "stranger")}
    for name, person in world["people"].items():
        for slug, token in world["tokens"].items():
            status = call(client, token, f"/api/v1/people/{person.public_id}").status_code
            assert status == (200 if (slug, name) in allowed else 404), (name, slug)
    # Petitions: the lead's and the partner's campaign's, never the stranger's.
    assert call(client, stranger, "/api/v1/petitions/the-petition").status_code == 404
    assert call(client, lead, "/api/v1/petitions/strangers-petition").status_code == 404
    mind_view = call(client, mind, "/api/v1/petitions/the-petition").json()
    assert mind_view["total_signatures"] == 3  # the counts of everyone
    signatures = call(client, mind, "/api/v1/petitions/the-petition/signatures").json()["_embedded"]["osdi:signatures"]
    assert [s["identifiers"] for s in signatures] == [[f"groundswell:{world['people']['mind'].public_id}"]]
    person = call(client, mind, signatures[0]["_links"]["osdi:person"]["href"].removeprefix("http://testserver")).json()
    assert person["custom_fields"]["consent"] == partner_wording(world["partner"])
    assert call(client, stranger, "/api/v1/petitions/the-petition/signatures").status_code == 404
    # Reads of people are logged as exports.
    assert SupporterExport.objects.filter(channel="api", organisation=world["mind"]).exists()


def test_tags_of_one_organisation_are_invisible_to_another(client, world):
    lead, stranger = world["tokens"][world["lead"].slug], world["tokens"][world["stranger"].slug]
    tag = call(client, lead, "/api/v1/tags", "post", {"name": "volunteers"}).json()
    assert call(client, stranger, f"/api/v1/tags/{tag['id']}").status_code == 404
    assert call(client, stranger, f"/api/v1/tags/{tag['id']}", "delete").status_code == 404
    assert call(client, stranger, "/api/v1/tags").json()["total_records"] == 0
    # Tagging someone the organisation may not see is refused.
    response = call(client, lead, f"/api/v1/tags/{tag['id']}/taggings", "post", {"person_id": str(world["people"]["stranger"].public_id)})
    assert response.status_code == 404
    ok = call(client, lead, f"/api/v1/tags/{tag['id']}/taggings", "post",
              {"_links": {"osdi:person": {"href": f"http://testserver/api/v1/people/{world['people']['lead'].public_id}"}}})
    assert ok.status_code == 201
    assert Tagging.objects.get().email_normalised == "lead-yes@example.org"
    assert call(client, stranger, f"/api/v1/tags/{tag['id']}/taggings").status_code == 404
    assert Tag.objects.filter(organisation=world["lead"]).count() == 1


def test_a_revoked_token_fails_at_once_and_a_read_token_cannot_write(client, world):
    owner = world["owners"][world["lead"]]
    row, token = actions.create_token(organisation=world["lead"], name="sync", scope="read", by=owner)
    assert call(client, token, "/api/v1/").status_code == 200
    assert call(client, token, "/api/v1/tags", "post", {"name": "x"}).status_code == 403
    assert not Tag.objects.exists()
    actions.revoke_token(token=row, by=owner)
    assert call(client, token, "/api/v1/").status_code == 401
    assert call(client, token, "/api/v1/people").status_code == 401
    assert call(client, None, "/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert call(client, None, "/api/v1/people").status_code == 401
    assert call(client, "gs_made-up", "/api/v1/people").status_code == 401


def test_a_logged_in_session_without_a_token_reads_nothing(client, world):
    client.force_login(world["owners"][world["lead"]])
    assert client.get("/api/v1/people").status_code == 401


def test_a_token_is_stored_hashed_and_shown_once(client, world):
    lead = world["lead"]
    client.force_login(world["owners"][lead])
    response = client.post(reverse("api:tokens", args=[lead.slug]), {"name": "Spreadsheet", "scope": "read"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    token = html.split('id="new-token">')[1].split("<")[0]
    row = ApiToken.objects.get(name="Spreadsheet")
    assert row.token_sha256 == token_hash(token) and token not in str(list(ApiToken.objects.values()))
    assert call(client, token, "/api/v1/").json()["organisation"]["slug"] == lead.slug
    again = client.get(reverse("api:tokens", args=[lead.slug])).content.decode()
    assert token not in again and row.prefix in again
    # Only owners manage tokens.
    client.force_login(make_organiser(lead, role="organiser"))
    assert client.get(reverse("api:tokens", args=[lead.slug])).status_code == 404


def test_bad_input_gets_a_clear_400_and_changes_nothing(client, world):
    lead = world["tokens"][world["lead"].slug]
    for body, words in [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "Send a JSON object"),
        ({"name": "ok", "colour": "red"}, "Unknown field(s): colour"),
        ({"name": ""}, "name is required"),
        ({"name": "x" * 101}, "at most 100 characters"),
    ]:
        response = call(client, lead, "/api/v1/tags", "post", body)
        assert response.status_code == 400 and words in response.json()["error"], body
    assert not Tag.objects.exists()
    for query, words in [("per_page=10000000", "per_page may be at most 100"), ("per_page=0", "whole number"), ("page=-1", "whole number"), ("page=abc", "whole number")]:
        response = call(client, lead, f"/api/v1/people?{query}")
        assert response.status_code == 400 and words in response.json()["error"], query
    assert call(client, lead, "/api/v1/people/not-a-uuid").status_code == 404
    assert call(client, lead, "/api/v1/nothing-here").status_code == 404
    assert call(client, lead, "/api/v1/people", "delete").status_code == 405


def test_pagination_follows_osdi(client, world):
    petition = world["petition"]
    for i in range(5):
        signed(petition, f"more{i}@example.org", updates=True)
    lead = world["tokens"][world["lead"].slug]
    first = call(client, lead, "/api/v1/people?per_page=2").json()
    assert (first["total_records"], first["total_pages"], first["page"], first["per_page"]) == (6, 3, 1, 2)
    seen = set()
    url = first["_links"]["self"]["href"]
    while url:
        page = call(client, lead, url.removeprefix("http://testserver")).json()
        seen |= {p["email_addresses"][0]["address"] for p in page["_embedded"]["osdi:people"]}
        url = page["_links"].get("next", {}).get("href")
    assert len(seen) == 6
