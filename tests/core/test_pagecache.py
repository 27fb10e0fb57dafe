"""The public page cache: the same bytes for every anonymous visitor, each with their own token."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from groundswell.core.pagecache import CSRF_PLACEHOLDER, local_cache
from groundswell.petitions import actions
from groundswell.petitions.models import Signature
from tests.factories import make_organiser, make_petition, sign
from tests.geography.conftest import imported_pack, small_pack  # noqa: F401  (the small pack, imported)

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 2
    yield


def test_every_visitor_gets_the_same_bytes_with_no_cookie_and_can_sign():
    petition = make_petition()
    url = f"/petitions/{petition.slug}/"
    pages = []
    for i in range(2):
        browser = Client(enforce_csrf_checks=True)
        page = browser.get(url)
        pages.append(page.content)
        assert CSRF_PLACEHOLDER.encode() not in page.content and b"csrfmiddlewaretoken" not in page.content
        assert not page.cookies  # nothing per visitor: a cache in front of Django may keep it
        response = browser.post(url, {"name": "Vi Sitor", "email": f"v{i}@example.org", "where": "uk", "postcode": "SW1A 1AA",
                                      "consent": "on"}, HTTP_SEC_FETCH_SITE="same-origin")
        assert response.status_code == 302
    assert pages[0] == pages[1]
    assert Signature.objects.count() == 2


def test_a_page_holding_a_csrf_token_is_never_stored(rf):
    """A token is one visitor's: a page with one is rendered for each visitor, never stored."""
    from django.http import HttpResponse
    from django.template import engines

    from groundswell.core.pagecache import anonymous_page

    template = engines["django"].from_string("<form method=post>{% csrf_token %}</form>")
    renders = []

    def render(extra):
        renders.append(extra)
        return HttpResponse(template.render(extra, request))

    for _ in range(3):
        request = rf.get("/somewhere/")
        body = anonymous_page(request, key="with-token", render=render).content
        assert CSRF_PLACEHOLDER.encode() not in body
    assert len(renders) == 6  # each visit: the try with the placeholder, then the visitor's own


def test_the_count_is_at_most_a_few_seconds_old_and_edits_show_at_once(django_capture_on_commit_callbacks):
    petition = make_petition(title="Before")
    url = f"/petitions/{petition.slug}/"
    assert ">0 <" in Client().get(url).content.decode().replace("\n", "")
    assert Client().get(f"/petitions/{petition.slug}.json").json()["signature_count"] == 0
    actions.confirm_signature(signature=sign(petition).signature)
    assert Client().get(f"/petitions/{petition.slug}.json").json()["signature_count"] == 0  # cached
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        assert Client().get(f"/petitions/{petition.slug}.json").json()["signature_count"] == 1
        assert "Before" in Client().get(url).content.decode()
        organiser = Client()
        organiser.force_login(make_organiser(petition.campaign.organisation))
        form = {"campaign": petition.campaign.pk, "title": "After", "slug": petition.slug, "ask": "x", "why": "y",
                "addressed_to": "z", "opens_on": petition.opens_on.isoformat(), "closes_on": petition.closes_on.isoformat(),
                "milestones_text": "100"}
        with django_capture_on_commit_callbacks(execute=True):
            assert organiser.post(f"/organise/petitions/{petition.pk}/edit/", form).status_code == 302
        assert "After" in Client().get(url).content.decode()


def test_logged_in_organisers_always_get_a_fresh_page(client):
    petition = make_petition()
    client.force_login(make_organiser(petition.campaign.organisation))
    client.get(f"/petitions/{petition.slug}/")
    actions.confirm_signature(signature=sign(petition).signature)
    assert "Log out" in client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "1 signature" in client.get(f"/petitions/{petition.slug}/").content.decode().replace("<span class=\"count-label\">", "")


def test_each_sort_of_the_constituency_table_is_cached_as_its_own_page():
    from groundswell.core.pagecache import anonymous_page  # noqa: F401  (the mechanism under test)
    from groundswell.geography.queries import checked_sort

    assert checked_sort("name") == "name" and checked_sort("-signatures") == "-signatures"
    assert checked_sort("<script>") == checked_sort("") == checked_sort(None) == "-signatures"
    petition = make_petition()
    url = f"/petitions/{petition.slug}/"
    Client().get(url)
    Client().get(url + "?sort=name")
    Client().get(url + "?sort=made-up-1")
    Client().get(url + "?sort=made-up-2")
    keys = [k for k in local_cache()._cache if f"page:petition:{petition.pk}:" in k]  # LocMemCache's own store
    assert len(keys) == 3  # default, ?sort=name, and one for every unknown sort


def test_briefly_cached_values_are_forgotten_when_an_action_changes_them(django_capture_on_commit_callbacks):
    from groundswell.moderation.actions import set_proof_of_work
    from groundswell.petitions.queries import get_visible_petition

    petition = make_petition()
    assert get_visible_petition(petition.slug).proof_of_work_required is False  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        set_proof_of_work(petition=petition, required=True)
    assert get_visible_petition(petition.slug).proof_of_work_required is True


def test_a_consent_statement_created_in_a_rolled_back_transaction_is_not_remembered():
    from django.db import transaction

    from groundswell.supporters.models import ConsentStatement

    with pytest.raises(RuntimeError), transaction.atomic():
        ConsentStatement.for_text(purpose="record_signature", text="New words")
        raise RuntimeError
    statement = ConsentStatement.for_text(purpose="record_signature", text="New words")
    assert ConsentStatement.objects.filter(pk=statement.pk).exists()
    again = ConsentStatement.for_text(purpose="record_signature", text="New words")  # remembered now
    assert again.pk == statement.pk


def test_a_request_with_made_up_parameters_cannot_plant_them_in_the_links_later_visitors_get(imported_pack):
    petition = make_petition()
    url = f"/petitions/{petition.slug}/"
    for planted in ("?sort=mp&evil=%3Cx%3E", "?evil=%3Cx%3E", "?sort=-mp&evil=1&sort=name"):
        Client().get(url + planted)
    for visitor in ("", "?sort=mp", "?sort=-mp", "?sort=name"):
        html = Client().get(url + visitor).content.decode()
        assert "evil" not in html, visitor
        assert 'href="?sort=' in html, visitor  # the sort links are there, carrying nothing but the sort
    assert [k for k in local_cache()._cache if "evil" in k] == []


def test_a_stale_value_is_rebuilt_by_one_request_while_the_others_are_given_it():
    """When a value expires, one thread rebuilds it; the others keep using the stale one for the
    moment that takes, instead of every thread of the process rebuilding it at once."""
    import threading

    from groundswell.core.pagecache import briefly_cached

    started = timezone.now()
    with time_machine.travel(started, tick=False):
        assert briefly_cached(key="stampede", build=lambda: "first") == "first"
    rebuilding, may_finish, builds = threading.Event(), threading.Event(), []

    def slow_build():
        builds.append("slow")
        rebuilding.set()
        may_finish.wait(5)
        return "second"

    with time_machine.travel(started + timedelta(seconds=3), tick=False):  # stale (after 2 s), still kept
        rebuilder = threading.Thread(target=lambda: builds.append(briefly_cached(key="stampede", build=slow_build)))
        rebuilder.start()
        assert rebuilding.wait(5)
        others = [briefly_cached(key="stampede", build=lambda: builds.append("herd") or "herd") for _ in range(5)]
        may_finish.set()
        rebuilder.join(5)
        assert others == ["first"] * 5
        assert builds == ["slow", "second"]
        assert briefly_cached(key="stampede", build=lambda: "third") == "second"  # the rebuilt value, fresh
        local_cache().delete("value:stampede")  # what forget_on_commit does once the change commits
        assert briefly_cached(key="stampede", build=lambda: "changed") == "changed"  # a change is never served stale
