"""Security: CSRF on every form, and HTML/script typed by anyone shown inert everywhere it appears."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import resolve, reverse

from groundswell.campaigns.models import Campaign
from groundswell.core.models import OutgoingEmail
from groundswell.events.models import RSVP, Event
from groundswell.letters.models import Letter
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.emails import build_signature_email
from groundswell.petitions.models import Petition, Signature
from groundswell.petitions.tokens import CONFIRMATION_LINK
from tests.factories import TRUST_EMAIL, make_action, make_ask, make_campaign, make_commitment, make_letter
from tests.factories import data_link_token as make_data_token
from tests.factories import make_event, make_organisation, make_organiser, make_petition, make_response, make_rsvp, make_target
from tests.factories import make_organisation, make_organiser, make_petition, make_response, make_target, send_asks
from groundswell.ledger.actions import receive_answer_by_link
from groundswell.ledger.tokens import ANSWER_LINK
from tests.factories import make_organisation, make_organiser, make_partner, make_petition, make_response, make_target
from tests.support.urls import every_page

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


# The forms of the site, by URL name: the sweep below must reach at least these.
FORMS = {
    "petitions:detail", "petitions:confirm", "accounts:login", "accounts:logout", "campaigns:create", "campaigns:edit",
    "petitions:create", "petitions:edit", "petitions:state", "moderation:rate_limits", "moderation:proof_of_work",
    "moderation:restore", "moderation:invalidate", "supporters:request_link", "supporters:download",
    "petitions:withdraw", "supporters:delete", "letters:compose", "letters:confirm", "letters:answer", "letters:create",
    "letters:edit", "ledger:target_create", "ledger:ask_create", "ledger:response_edit", "admin:login",
    "petitions:paper_new", "petitions:paper_sheet", "petitions:paper_withdraw", "petitions:signer_correct",
    "petitions:signer_withdraw", "petitions:assisted", "handin:thresholds", "handin:threshold_delete",
    "events:detail", "events:confirm", "events:manage", "events:cancel", "events:create", "events:edit", "events:publish",
    "events:cancel_event", "events:my_data_rsvp",
    "ledger:answer", "ledger:batch_create", "ledger:reply", "ledger:chase_settings",
}


def _real_arguments(world):
    """{url name: arguments} for every URL pattern of the site that takes any, filled with real
    rows made by the factories, so that a view which forgot CSRF would act on a real object."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from groundswell.events import tokens as event_tokens
    from groundswell.letters import tokens as letter_tokens
    from groundswell.petitions.tokens import CONFIRMATION_LINK
    from groundswell.moderation.models import ModerationRecord

    petition, campaign, signature, user = world["petition"], world["campaign"], world["signature"], world["user"]
    target = make_target(world["organisation"], contact_email=TRUST_EMAIL)
    ask = make_ask(campaign, target)
    response = make_response(ask)
    commitment = make_commitment(response)
    action = make_action(campaign, to_mp=False, target=target)
    letter = make_letter(action)
    record = ModerationRecord.objects.create(petition=petition, kind=ModerationRecord.Kind.RESTORE, moderator=user)
    data_token = make_data_token("xss@example.org")
    event = make_event(campaign, title="Event " + PAYLOAD, description=PAYLOAD, venue=PAYLOAD, step_free_access=PAYLOAD)
    rsvp = make_rsvp(event, email="xss@example.org", name="Name " + PAYLOAD, access_needs_other=PAYLOAD)
    sent_ask = send_asks(campaign, [target]).asks.get()
    reply = receive_answer_by_link(ask=sent_ask, text="Answer " + PAYLOAD)
    by_slug = {"slug": petition.slug}
    arguments = {
        "accounts:password_reset_confirm": {
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
        },
        "composition:campaign": {"slug": campaign.slug},
        "campaigns:edit": {"pk": campaign.pk},
        "petitions:confirm": {**by_slug, "token": CONFIRMATION_LINK.make(signature.public_id)},
        "petitions:edit": {"pk": petition.pk},
        "petitions:state": {"pk": petition.pk},
        "ledger:json": {"slug": campaign.slug},
        "ledger:feed": {"slug": campaign.slug},
        "ledger:target": {"slug": campaign.slug, "target_id": target.pk},
        "ledger:document": {"kind": "ask", "pk": ask.pk},
        "ledger:target_from_pack": {"kind": "nhs_body"},
        "ledger:organise_target": {"pk": target.pk},
        "ledger:target_edit": {"pk": target.pk},
        "ledger:ask_create": {"target_pk": target.pk},
        "ledger:ask_edit": {"pk": ask.pk},
        "ledger:response_create": {"ask_pk": ask.pk},
        "ledger:response_edit": {"pk": response.pk},
        "ledger:commitment_create": {"response_pk": response.pk},
        "ledger:commitment_edit": {"pk": commitment.pk},
        "ledger:csv": {"slug": campaign.slug},
        "ledger:answer": {"token": ANSWER_LINK.make(sent_ask.public_id)},
        "ledger:batch": {"pk": sent_ask.batch_id},
        "ledger:reply": {"pk": reply.pk},
        "ledger:reply_file": {"pk": reply.pk, "which": "original"},
        "ledger:internal_review": {"pk": sent_ask.pk},
        "ledger:chase_settings": {"campaign_pk": campaign.pk},
        "moderation:rate_limits": {"organisation_pk": world["organisation"].pk},
        "moderation:record": {"pk": record.pk},
        "supporters:my_data": {"token": data_token},
        "supporters:download": {"token": data_token},
        "supporters:delete": {"token": data_token},
        "petitions:withdraw": {"token": data_token, "public_id": signature.public_id},
        "letters:compose": {"slug": action.slug},
        "letters:check_email": {"slug": action.slug},
        "letters:confirm": {"token": letter_tokens.CONFIRMATION_LINK.make(letter.public_id)},
        "letters:confirmed": {"token": letter_tokens.CONFIRMATION_LINK.make(letter.public_id)},
        "letters:answer": {
            "token": letter_tokens.FOLLOWUP_LINK.make(letter.public_id), "answer": "replied",
        },
        "letters:recipient": {"pk": letter.contact_id},
        "letters:edit": {"pk": action.pk},
        "events:confirm": {"token": event_tokens.CONFIRMATION_LINK.make(rsvp.public_id)},
        "events:manage": {"token": event_tokens.MANAGE_LINK.make(rsvp.public_id)},
        "events:cancel": {"token": event_tokens.MANAGE_LINK.make(rsvp.public_id)},
        "events:my_ics": {"token": event_tokens.MANAGE_LINK.make(rsvp.public_id)},
        "events:campaign_feed": {"slug": campaign.slug},
        "events:campaign_json": {"slug": campaign.slug},
        "events:my_data_rsvp": {"token": data_token, "public_id": rsvp.public_id},
        **_update_arguments(world, data_token),
    }
    for name in ["detail", "check_email", "ics", "organise_detail", "edit", "publish", "cancel_event", "attendees", "sign_in", "sign_in_csv"]:
        arguments[f"events:{name}"] = {"pk": event.pk}
    arguments.update(_coalition_arguments(world))
    for name in ["json", "detail", "embed", "check_email", "confirmed", "counts_csv", "puzzle", "near_me", "petition_map", "petition_map_svg", "constituencies_csv", "versions"]:
        arguments[f"petitions:{name}"] = by_slug
    # Paper sheets and assisted signing (petitions/paper.py), on a real sheet and paper signature.
    from groundswell.petitions import actions as paper_actions

    sheet = paper_actions.print_sheet(petition=petition, user=user, consent_text="Paper consent " + PAYLOAD)
    paper_signature = paper_actions.enter_paper_signer(sheet=sheet, user=user, name="Paper " + PAYLOAD, postcode="", constituency_code="")
    for name in ["paper", "paper_new", "assisted"]:
        arguments[f"petitions:{name}"] = {"pk": petition.pk}
    for name in ["paper_sheet", "paper_print", "paper_withdraw", "paper_scan"]:
        arguments[f"petitions:{name}"] = {"pk": sheet.pk}
    for name in ["signer_correct", "signer_withdraw"]:
        arguments[f"petitions:{name}"] = {"public_id": paper_signature.public_id}
    # Thresholds and hand-in packs (handin), on a real threshold and target.
    from groundswell.handin.models import Threshold

    threshold = Threshold.objects.create(petition=petition, target=target, signatures=10_000, ask_text="Ask " + PAYLOAD)
    arguments["handin:thresholds"] = {"pk": petition.pk}
    arguments["handin:threshold_delete"] = {"pk": threshold.pk}
    for name in ["pack", "pack_csv", "pack_pdf"]:
        arguments[f"handin:{name}"] = {"pk": petition.pk, "target_pk": target.pk}
    for name in ["petition", "proof_of_work", "restore", "invalidate"]:
        arguments[f"moderation:{name}"] = {"pk": petition.pk}
    # The admin's pages for one row, on a real row wherever the world has one of that model.
    for model in admin.site._registry:
        pk = model._default_manager.values_list("pk", flat=True).first()
        if pk is not None:
            for view in ["change", "delete", "history"]:
                arguments[f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"] = {"object_id": str(pk)}
    arguments["admin:auth_user_password_change"] = {"id": user.pk}
    return arguments


def _coalition_arguments(world):
    """Real rows for the team's, partners', export, API and webhook pages (issue 17)."""
    from groundswell.accounts.actions import invite_member
    from groundswell.accounts.models import Membership
    from groundswell.accounts.tokens import INVITATION_LINK

    organisation, user = world["organisation"], world["user"]
    Membership.objects.filter(organisation=organisation, user=user).update(role="owner")
    invitation = invite_member(organisation=organisation, email="invited@example.org", role="viewer", by=user)
    membership = Membership.objects.filter(organisation=organisation).first()
    by_org = {"slug": organisation.slug}
    partner = make_partner(world["campaign"], make_organisation("Partner of the world"))
    Membership.objects.create(organisation=partner.organisation, user=user, role="owner")
    from groundswell.api.actions import create_token
    from groundswell.api.models import Tag
    from groundswell.webhooks.models import Endpoint

    token_row, _token = create_token(organisation=organisation, name="sweep", scope="write", by=user)
    endpoint = Endpoint.objects.create(organisation_id=organisation.pk, url="https://example.org/hook", events=["signature.confirmed"], secret="whsec_AAAA")
    tag = Tag.objects.create(organisation=organisation, name="t")
    return {
        "api:tokens": by_org,
        "api:revoke_token": {**by_org, "pk": token_row.pk},
        "api:webhooks": by_org,
        "api:webhook_change": {**by_org, "pk": endpoint.pk},
        "api:person": {"person_id": str(world["signature"].public_id)},
        "api:petition": {"slug": world["petition"].slug},
        "api:signatures": {"slug": world["petition"].slug},
        "api:tag": {"pk": tag.pk},
        "api:taggings": {"pk": tag.pk},
        "api:tagging": {"pk": tag.pk, "tagging_pk": 1},
        "api:not_found": {"rest": "x"},
        "petitions:campaign_partners": {"pk": world["campaign"].pk},
        "petitions:campaign_partner_remove": {"pk": world["campaign"].pk, "partner_pk": partner.pk},
        "petitions:partner": {"pk": partner.pk},
        "petitions:partner_csv": {"pk": partner.pk},
        "petitions:export": by_org,
        "petitions:export_csv": by_org,
        "accounts:team": by_org,
        "accounts:team_invite": by_org,
        "accounts:team_settings": by_org,
        "accounts:team_role": {**by_org, "pk": membership.pk},
        "accounts:team_remove": {**by_org, "pk": membership.pk},
        "accounts:team_withdraw": {**by_org, "pk": invitation.pk},
        "accounts:invitation": {"token": INVITATION_LINK.make(invitation.public_id)},
    }


def _update_arguments(world, data_token):
    from groundswell.updates.emails import unsubscribe_url
    from groundswell.updates.models import Consent, Delivery
    from groundswell.updates.tokens import UNSUBSCRIBE_LINK
    from tests.factories import make_update

    organisation = world["organisation"]
    update = make_update(organisation, world["user"])
    consent = Consent.objects.create(
        organisation=organisation, email_normalised="xss@example.org", email="xss@example.org",
        statement=world["signature"].consent, source=Consent.Source.SIGNATURE,
    )
    delivery = Delivery.objects.create(update=update, organisation=organisation, consent=consent, email_normalised=consent.email_normalised)
    token = UNSUBSCRIBE_LINK.make(delivery.public_id)
    assert token in unsubscribe_url(delivery.public_id)
    by_pk = {"pk": update.pk}
    arguments = {f"updates:{name}": by_pk for name in ["detail", "audience", "write", "email_html", "test_send", "send", "approve", "back_to_draft"]}
    arguments.update({
        "updates:settings": {"organisation_pk": organisation.pk},
        "updates:unsubscribe": {"token": token},
        "updates:one_click": {"token": token},
        "updates:withdraw": {"token": data_token, "public_id": consent.public_id},
    })
    return arguments


# The one view that takes a POST without a CSRF token: RFC 8058's one-click unsubscribe, which mail
# programs POST with no cookie. It only ever withdraws the updates consent its signed link names.
CSRF_EXEMPT = {"updates:one_click"}

# The public forms checked by the browser's Origin and Sec-Fetch-Site headers instead of a token
# (core/crossorigin.py), so that their pages are the same bytes for everyone. Named here so that a
# view cannot join them unnoticed.
ORIGIN_CHECKED = {"petitions:detail", "petitions:confirm"}

# What a page on another site can make a browser send (Origin and Fetch Metadata are set by the
# browser, not the page): every one must be refused by every URL of the site.
FORGED = {
    "foreign Origin": {"HTTP_ORIGIN": "https://attacker.example"},
    "Sec-Fetch-Site: cross-site": {"HTTP_SEC_FETCH_SITE": "cross-site"},
    "cross-site with a foreign Origin": {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://attacker.example"},
    "a sibling subdomain": {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://blog.testserver"},
    "an opaque origin (sandboxed frame)": {"HTTP_ORIGIN": "null"},
    "a foreign Referer and no Origin (old browser)": {"HTTP_REFERER": "https://attacker.example/page"},
}


def _admin_or_unnamed(name):
    """The admin's own patterns (CSRF protected by the admin site as well as the middleware) may
    fall back to stand-in arguments where the world has no row of that model; the site's may not."""
    return name is None or name.startswith("admin:")


@pytest.fixture
def organiser_past_two_step(world):
    """The world's owner, also staff (so the admin is theirs too), logged in with two-step done."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = world["user"]
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="groundswell.accounts.backends.EmailBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=user, name="app", confirmed=True).persistent_id
    session.save()
    return client


def _refused_for_csrf(response) -> bool:
    """403 from the kind CSRF page (not the view's own "not allowed"), or 405: no POST at all."""
    if response.status_code == 405:
        return True
    return response.status_code == 403 and "core/csrf_failure.html" in [t.name for t in response.templates]


def test_every_url_refuses_a_post_without_the_csrf_token(world, organiser_past_two_step):
    """Every URL pattern of the site, from the URL resolver, so a new form cannot escape.

    Nothing is exempt but the organisers' API (`api:` entry points under /api/v1/): it reads no
    cookie or session, only a token in a header, which another site cannot make a browser send;
    without one it answers 401 and changes nothing (checked here, and in tests/api); and RFC 8058's
    one-click unsubscribe (CSRF_EXEMPT), which must take a POST with no cookie and no token, and
    does nothing but withdraw the consent its link names.
    """
    from groundswell.updates.models import Consent

    pages = every_page(_real_arguments(world), stand_ins=_admin_or_unnamed, where="_real_arguments() in this test")
    names = {name for _, name in pages}
    assert FORMS <= names, FORMS - names
    assert len([name for name in names if not name.startswith("admin:")]) > 60
    counted = [Signature, Letter, OutgoingEmail, Petition, Campaign, Event, RSVP]
    before = [list(model.objects.order_by("pk").values()) for model in counted]
    accepted, checked_by_origin = [], set()
    for who, client in [("anonymous", Client(enforce_csrf_checks=True)), ("organiser", organiser_past_two_step)]:
        for path, name in pages:
            if getattr(resolve(path).func, "origin_checked", False):
                checked_by_origin.add(name)
                continue  # a same-origin POST needs no token here: the forged ones are in the next test
            response = client.post(path, {"title": "t", "email": "a@example.org", "confirm": "1"})
            if path.startswith("/api/v1/"):
                assert response.status_code in (401, 405), (who, path, response.status_code)
                continue
            if name in CSRF_EXEMPT:
                assert response.status_code == 200, (name, response.status_code)
                continue
            if not _refused_for_csrf(response):
                accepted.append((who, name, path, response.status_code))
    assert accepted == [], "these answered a POST without a CSRF token"
    assert checked_by_origin == ORIGIN_CHECKED
    assert [list(model.objects.order_by("pk").values()) for model in counted] == before
    assert Consent.objects.get().withdrawn_how == Consent.Withdrawal.ONE_CLICK  # and that is all it did


def test_every_url_refuses_a_post_from_another_site(world, organiser_past_two_step):
    """What a page on another site can make a visitor's browser send, to every URL of the site:
    refused everywhere, with the kind page, and nothing changed. The token-checked views refuse it
    for want of a token (Django also checks Origin when it is sent); the public forms of
    ORIGIN_CHECKED refuse it by its headers alone, whatever else the request carries."""
    pages = every_page(_real_arguments(world), stand_ins=_admin_or_unnamed, where="_real_arguments() in this test")
    counted = [Signature, Letter, OutgoingEmail, Petition, Campaign, Event, RSVP]
    before = [list(model.objects.order_by("pk").values()) for model in counted]
    accepted = []
    for who, client in [("anonymous", Client(enforce_csrf_checks=True)), ("organiser", organiser_past_two_step)]:
        for path, name in pages:
            if path.startswith("/api/v1/") or name in CSRF_EXEMPT:
                continue  # no cookie or session is read there: see the test above
            for how, headers in FORGED.items():
                response = client.post(path, {"title": "t", "email": "a@example.org", "confirm": "1"}, **headers)
                if not _refused_for_csrf(response):
                    accepted.append((who, name, how, response.status_code))
    assert accepted == [], "these answered a POST from another site"
    assert [list(model.objects.order_by("pk").values()) for model in counted] == before


def test_a_public_form_sent_from_another_site_is_refused_with_words_that_say_so(world):
    petition = world["petition"]
    client = Client(enforce_csrf_checks=True)
    form = {"name": "Ada", "email": "ada@example.org", "where": "abroad", "country": "FR", "consent": "on"}
    response = client.post(reverse("petitions:detail", args=[petition.slug]), form, HTTP_ORIGIN="https://attacker.example")
    assert response.status_code == 403
    assert "sent to us from another website" in response.content.decode()
    assert not Signature.objects.filter(email="ada@example.org").exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "none"},  # typed, or from a bookmark
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_REFERER": "http://testserver/petitions/"},
        {},  # a program, or a browser from before Origin: no page of another site sends this
    ],
    ids=["same-origin", "none", "own Origin", "own Referer", "no headers"],
)
def test_the_public_forms_need_no_token_from_their_own_site(world, headers):
    """The sign form and the confirm button, sent from our own pages, need no CSRF token."""
    petition = world["petition"]
    client = Client(enforce_csrf_checks=True)
    form = {"name": "Ada", "email": "ada@example.org", "where": "abroad", "country": "FR", "consent": "on"}
    response = client.post(reverse("petitions:detail", args=[petition.slug]), form, **headers)
    assert response.status_code == 302, response.content[:500]
    signature = Signature.objects.get(email="ada@example.org")
    link = reverse("petitions:confirm", args=[petition.slug, CONFIRMATION_LINK.make(signature.public_id)])
    assert client.post(link, **headers).status_code == 302
    signature.refresh_from_db()
    assert signature.confirmed_at is not None


def test_every_form_on_a_page_carries_the_csrf_token(world, client):
    client.force_login(world["user"])
    token = make_data_token("xss@example.org")
    pages = [
        reverse("petitions:detail", args=[world["petition"].slug]),
        reverse("moderation:petition", args=[world["petition"].pk]),
        reverse("moderation:rate_limits", args=[world["organisation"].pk]),
        reverse("supporters:request_link"),
        reverse("supporters:my_data", args=[token]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        forms = re.findall(r'<form method="post"(?: action="([^"]*)")?[^>]*>(.*?)</form>', html, re.S)
        assert forms, url
        for action, inside in forms:
            by_origin = getattr(resolve(action or url).func, "origin_checked", False)
            # A public form checked by origin carries no token, so its page is the same for everyone.
            assert ('name="csrfmiddlewaretoken"' in inside) != by_origin, (url, action)


def test_html_and_script_typed_by_organisers_supporters_and_moderators_is_shown_inert(world, client):
    petition = world["petition"]
    client.force_login(world["user"])
    preview = client.post(reverse("moderation:invalidate", args=[petition.pk]), {"email_domain": PAYLOAD})
    pages = {
        "petition": client.get(reverse("petitions:detail", args=[petition.slug])),
        "campaign": client.get(reverse("composition:campaign", args=[world["campaign"].slug])),
        "organise": client.get(reverse("composition:organise")),
        "moderation": client.get(reverse("moderation:petition", args=[petition.pk])),
        "moderation home": client.get(reverse("moderation:home")),
        "invalidation preview": preview,
        "my data": client.get(reverse("supporters:my_data", args=[make_data_token("xss@example.org")])),
    }
    event = make_event(world["campaign"], title="Event " + PAYLOAD, description=PAYLOAD, venue=PAYLOAD, step_free_access=PAYLOAD)
    make_rsvp(event, email="xss@example.org", name="Name " + PAYLOAD, access_needs_other=PAYLOAD)
    pages["event"] = client.get(reverse("events:detail", args=[event.pk]))
    pages["attendees"] = client.get(reverse("events:attendees", args=[event.pk]))
    pages["sign-in list"] = client.get(reverse("events:sign_in", args=[event.pk]))
    pages["my data with a reply"] = client.get(reverse("supporters:my_data", args=[make_data_token("xss@example.org")]))
    for label, response in pages.items():
        html = response.content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, label
        assert "&lt;script&gt;" in html, f"{label} does not show the text at all"
    email_html = build_signature_email(world["signature"]).alternatives[0][0]
    assert "<script>alert" not in email_html
