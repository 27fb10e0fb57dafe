"""Withdrawing and deleting ask first; deleting is not the page's main action; the page shows
names (country, constituency), not codes."""

import json

import pytest
from django.urls import reverse

from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Signature
from groundswell.petitions.queries import count_signatures
from tests.factories import data_link_token as make_data_token
from tests.factories import make_petition
from tests.geography.conftest import imported_pack, small_pack  # noqa: F401

pytestmark = pytest.mark.django_db


def _signed(petition, email, *, country="GB", code=""):
    signature = petition_actions.sign_petition(
        petition=petition, name="Alex Example", email=email, postcode="", country=country,
        consent_text="Record my signature.", updates_text=None, constituency_code=code,
    ).signature
    petition_actions.confirm_signature(signature=signature)
    return signature


def _main(response):
    return response.content.decode().split("<main")[1].split("</main>")[0]


def test_withdrawing_asks_first_and_changes_nothing_until_yes(client):
    petition = make_petition(title="Fund crisis cafés")
    signature = _signed(petition, "alex@example.org")
    token = make_data_token("alex@example.org")
    page = _main(client.get(reverse("supporters:my_data", args=[token])))
    url = reverse("petitions:withdraw", args=[token, signature.public_id])
    assert f'href="{url}"' in page  # a link to the question, not a button that acts

    for question in (client.get(url), client.post(url), client.post(url, {"confirm": "no"})):
        html = _main(question)
        assert question.status_code == 200
        assert "Withdraw your signature?" in html and "Fund crisis cafés" in html
        assert 'name="confirm" value="yes"' in html and "No, go back to my data" in html
        assert "no-store" in question["Cache-Control"]
    assert count_signatures(petition) == 1 and Signature.objects.exists()

    done = client.post(url, {"confirm": "yes"}, follow=True)
    assert "Your signature on “Fund crisis cafés” is withdrawn and deleted." in done.content.decode()
    assert count_signatures(petition) == 0 and not Signature.objects.exists()


def test_deleting_everything_asks_first_and_is_styled_as_a_danger_not_the_main_action(client):
    petition = make_petition()
    _signed(petition, "alex@example.org")
    token = make_data_token("alex@example.org")
    page = _main(client.get(reverse("supporters:my_data", args=[token])))
    delete_url = reverse("supporters:delete", args=[token])
    assert f'<a class="button button-danger" href="{delete_url}">Delete all my data</a>' in page
    assert f'action="{delete_url}"' not in page  # nothing on the data page deletes in one click

    question = _main(client.get(delete_url))
    assert "Delete all your data?" in question and "This withdraws your 1 signature" in question
    assert 'class="button-danger">Yes, delete all my data</button>' in question
    assert Signature.objects.exists()
    done = _main(client.post(delete_url, {"confirm": "yes"}))
    assert "We deleted your signature" in done and not Signature.objects.exists()


def test_deleting_when_nothing_is_left_says_so_instead_of_counts_going_down(client):
    token = make_data_token("nobody@example.org")
    done = _main(client.post(reverse("supporters:delete", args=[token]), {"confirm": "yes"}))
    assert "There was nothing left to delete" in done
    assert "0 signatures" not in done and "gone down" not in done


def test_the_page_names_the_country_and_constituency_and_shows_no_codes(client, imported_pack):
    home = _signed(make_petition(), "alex@example.org", code="E14001234")
    abroad = _signed(make_petition(), "alex@example.org", country="FR")
    token = make_data_token("alex@example.org")
    page = _main(client.get(reverse("supporters:my_data", args=[token])))
    assert "<dd>United Kingdom</dd>" in page and "<dd>Guildford</dd>" in page and "<dd>France</dd>" in page
    assert "E14001234" not in page and "<dd>GB</dd>" not in page and "<dd>FR</dd>" not in page
    data = json.loads(client.post(reverse("supporters:download", args=[token])).content)
    by_id = {s["id"]: s for s in data["signatures"]}
    assert by_id[str(home.public_id)]["constituency_name"] == "Guildford"
    assert by_id[str(home.public_id)]["constituency_code"] == "E14001234"  # the download keeps the codes too
    assert by_id[str(abroad.public_id)]["country_name"] == "France"
