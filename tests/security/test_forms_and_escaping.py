"""Security: CSRF on every form, and HTML/script typed by anyone shown inert everywhere it appears."""

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.petitions import actions as petition_actions
from groundswell.petitions.emails import build_signature_email
from groundswell.petitions.models import Signature
from tests.factories import data_link_token as make_data_token
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def world():
    organisation = make_organisation(name="Org " + PAYLOAD)
    campaign = make_campaign(organisation, title="Campaign " + PAYLOAD, summary=PAYLOAD, description=PAYLOAD)
    petition = make_petition(campaign, title="Petition " + PAYLOAD, ask=PAYLOAD, why=PAYLOAD, addressed_to=PAYLOAD)
    signature = petition_actions.sign_petition(
        petition=petition, name="Name " + PAYLOAD, email="xss@example.org", postcode="GU2 7XX", country="GB",
        consent_text="Consent " + PAYLOAD, updates_text=None, ip_address="203.0.113.9", ip_network="203.0.113.0/24",
        flagged_reason="rate_network",
    ).signature
    user = make_organiser(organisation, role="owner")
    return {"organisation": organisation, "campaign": campaign, "petition": petition, "signature": signature, "user": user}


def _every_form_endpoint(world):
    petition, signature, org = world["petition"], world["signature"], world["organisation"]
    from groundswell.petitions.tokens import make_confirmation_token

    token = make_data_token("xss@example.org")
    return [
        ("petitions:detail", [petition.slug], {"name": "A", "email": "a@example.org", "where": "uk", "postcode": "GU2 7XX", "consent": "on"}),
        ("petitions:confirm", [petition.slug, make_confirmation_token(signature.public_id)], {}),
        ("accounts:login", [], {"username": world["user"].username, "password": "a-long-test-password"}),
        ("accounts:logout", [], {}),
        ("campaigns:create", [], {"title": "t"}),
        ("campaigns:edit", [world["campaign"].pk], {"title": "t"}),
        ("petitions:create", [], {"title": "t"}),
        ("petitions:edit", [petition.pk], {"title": "t"}),
        ("petitions:state", [petition.pk], {"state": "closed"}),
        ("protection:rate_limits", [org.pk], {"ip_burst_limit": "1"}),
        ("protection:proof_of_work", [petition.pk], {"required": "1"}),
        ("protection:restore", [petition.pk], {"signature": signature.pk}),
        ("protection:invalidate", [petition.pk], {"email_domain": "example.org", "confirm": "1"}),
        ("supporters:request_link", [], {"email": "a@example.org"}),
        ("supporters:download", [token], {}),
        ("petitions:withdraw", [token, signature.public_id], {}),
        ("supporters:delete", [token], {}),
    ]


def test_every_form_refuses_a_post_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["user"])
    before = list(Signature.objects.values_list("pk", "flagged_reason", "confirmed_at"))
    for name, args, data in _every_form_endpoint(world):
        response = client.post(reverse(name, args=args), data)
        assert response.status_code == 403, f"{name} accepted a POST without a CSRF token"
    assert list(Signature.objects.values_list("pk", "flagged_reason", "confirmed_at")) == before


def test_every_form_on_a_page_carries_the_csrf_token(world, client):
    client.force_login(world["user"])
    token = make_data_token("xss@example.org")
    pages = [
        reverse("petitions:detail", args=[world["petition"].slug]),
        reverse("protection:petition", args=[world["petition"].pk]),
        reverse("protection:rate_limits", args=[world["organisation"].pk]),
        reverse("supporters:request_link"),
        reverse("supporters:my_data", args=[token]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        forms = html.count('<form method="post"')
        assert forms and html.count('name="csrfmiddlewaretoken"') == forms, url


def test_html_and_script_typed_by_organisers_supporters_and_moderators_is_shown_inert(world, client):
    petition = world["petition"]
    client.force_login(world["user"])
    preview = client.post(reverse("protection:invalidate", args=[petition.pk]), {"email_domain": PAYLOAD})
    pages = {
        "petition": client.get(reverse("petitions:detail", args=[petition.slug])),
        "campaign": client.get(reverse("composition:campaign", args=[world["campaign"].slug])),
        "organise": client.get(reverse("composition:organise")),
        "moderation": client.get(reverse("protection:petition", args=[petition.pk])),
        "moderation home": client.get(reverse("protection:home")),
        "invalidation preview": preview,
        "my data": client.get(reverse("supporters:my_data", args=[make_data_token("xss@example.org")])),
    }
    for label, response in pages.items():
        html = response.content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, label
        assert "&lt;script&gt;" in html, f"{label} does not show the text at all"
    email_html = build_signature_email(world["signature"]).alternatives[0][0]
    assert "<script>alert" not in email_html
