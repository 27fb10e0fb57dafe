"""The organisers' update pages and the supporters' unsubscribe and own-data pages."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from groundswell.core.models import OutgoingEmail
from groundswell.petitions.queries import count_signatures
from groundswell.updates.models import CampaignOptOut, Consent, Delivery, Update
from tests.factories import data_link_token, make_campaign, make_opted_in, make_organisation, make_organiser, make_petition
from tests.factories import make_update, send_update
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(imported_pack):
    organisation = make_organisation(name="Crisis Care Coalition")
    campaign = make_campaign(organisation, title="Crisis care")
    petition = make_petition(campaign)
    user = make_organiser(organisation, email="organiser@example.org")
    for n in range(3):
        make_opted_in(petition, f"supporter{n}@example.org", name=f"Sam{n} Jones", constituency_code="E14001234")
    return {"organisation": organisation, "campaign": campaign, "petition": petition, "user": user}


def _audience(world, **overrides):
    data = {"organisation": world["organisation"].pk, "campaign": world["campaign"].pk, "audience_petition": "",
            "audience_nation": "", "audience_constituency": "", "step": "continue"}
    data.update(overrides)
    return data


def _content(**overrides):
    data = {"subject": "News for {first_name}", "body_markdown": "Hello {first_name}.\n\nWrite to **{mp_name}**.", "call_to_action": ""}
    data.update(overrides)
    return data


def test_an_organiser_counts_writes_previews_tests_and_sends(client, world, smtp_server):
    run_queued_tasks()
    smtp_server.clear()
    client.force_login(world["user"])
    counted = client.post("/organise/updates/new/", _audience(world, step="count"))
    assert counted.status_code == 200 and "This audience holds 3 people." in counted.text
    assert not Update.objects.exists()
    response = client.post("/organise/updates/new/", _audience(world))
    update = Update.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/organise/updates/{update.pk}/write/"
    page = client.get(response["Location"])
    assert "to 3 people" in page.text
    action = f"petition:{world['petition'].pk}"
    assert action in page.text
    response = client.post(f"/organise/updates/{update.pk}/write/", _content(call_to_action=action))
    assert response.status_code == 302
    preview = client.get(f"/organise/updates/{update.pk}/")
    assert "News for friend" in preview.text and "List-Unsubscribe" in preview.text and "one-click" in preview.text
    html = client.get(f"/organise/updates/{update.pk}/email.html")
    assert html.status_code == 200 and "<strong>your MP</strong>" in html.text and "Sign the petition" in html.text
    assert "'none'" in html["Content-Security-Policy"] and html["X-Frame-Options"] == "SAMEORIGIN"

    client.post(f"/organise/updates/{update.pk}/test/")
    run_queued_tasks()
    [test] = smtp_server.wait_for(1)
    assert test.envelope_to == ["organiser@example.org"] and test.subject == "[Test] News for friend"
    preview_link = "".join(str(test.message["List-Unsubscribe"]).split()).strip("<>").removeprefix("http://testserver")
    assert client.post(preview_link).status_code == 200  # unsubscribes nobody
    assert Consent.objects.filter(withdrawn_at__isnull=False).count() == 0
    smtp_server.clear()

    response = client.post(f"/organise/updates/{update.pk}/send/", {"when": "now"})
    assert response.status_code == 302
    run_queued_tasks()
    mails = smtp_server.wait_for(3)
    assert sorted(mail.envelope_to[0] for mail in mails) == [f"supporter{n}@example.org" for n in range(3)]
    assert {mail.subject for mail in mails} == {"News for Sam0", "News for Sam1", "News for Sam2"}
    assert all("Write to **Zöe Franklin**." in mail.text for mail in mails)
    listing = client.get("/organise/updates/")
    assert "News for {first_name}" in listing.text and "Sent" in listing.text


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"subject": ""}, "Enter a subject."),
        ({"subject": "   "}, "Enter a subject."),
        ({"body_markdown": "x" * 1_000_000}, "The message must be 20000 characters or fewer"),
        ({"body_markdown": "Hi <script>alert(1)</script>"}, "HTML such as &lt;script&gt;"),
        ({"body_markdown": '<img src=x onerror="alert(1)">'}, "HTML such as &lt;script&gt;"),
        ({"body_markdown": "<p onclick=alert(1)>hi</p>"}, "HTML such as &lt;script&gt;"),
        ({"body_markdown": "[click](javascript:alert(1))"}, "Links must start with https://"),
        ({"body_markdown": "Dear {frist_name}"}, "{frist_name} is not a merge field."),
        ({"subject": "For {name}"}, "{name} is not a merge field."),
        ({"call_to_action": "petition:999999"}, "Choose one of your organisation"),
    ],
)
def test_bad_content_gets_a_clear_message_and_nothing_changes(client, world, fields, message):
    update = make_update(world["organisation"], world["user"], subject="Kept", body="Kept body")
    client.force_login(world["user"])
    response = client.post(f"/organise/updates/{update.pk}/write/", _content(**fields))
    assert response.status_code == 400
    assert message in response.text
    assert 'class="error-summary"' in response.text or "error" in response.text
    update.refresh_from_db()
    assert (update.subject, update.body_markdown) == ("Kept", "Kept body")


def test_a_send_time_in_the_past_is_refused_and_nothing_is_queued(client, world):
    update = make_update(world["organisation"], world["user"])
    client.force_login(world["user"])
    before = OutgoingEmail.objects.count()
    past = (timezone.localtime() - timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/organise/updates/{update.pk}/send/", {"when": "later", "send_at": past})
    assert response.status_code == 400 and "That time has passed" in response.text
    response = client.post(f"/organise/updates/{update.pk}/send/", {"when": "later", "send_at": ""})
    assert response.status_code == 400 and "Enter the date and time" in response.text
    update.refresh_from_db()
    assert update.status == Update.Status.DRAFT and OutgoingEmail.objects.count() == before


def test_whatever_is_sanitised_anyway_the_email_has_no_script(world):
    from groundswell.updates.emails import render_markdown

    html = render_markdown("Hi <script>alert(1)</script> [x](javascript:alert(1)) <a href=x onclick=y>z</a> **bold**")
    assert "<script" not in html and not re.search(r"<[^>]*onclick", html) and "javascript:" not in html.split("&lt;")[0]
    assert 'href="javascript' not in html and "<strong>bold</strong>" in html and "&lt;script&gt;" in html


def test_another_organisations_organiser_cannot_see_count_or_mail_these_supporters(client, world):
    update = make_update(world["organisation"], world["user"], campaign=world["campaign"])
    other = make_organisation()
    stranger = make_organiser(other, role="owner")
    client.force_login(stranger)
    for path in ["", "audience/", "write/", "email.html"]:
        assert client.get(f"/organise/updates/{update.pk}/{path}").status_code == 404, path
    for path in ["test/", "send/", "approve/", "draft/", "write/", "audience/"]:
        assert client.post(f"/organise/updates/{update.pk}/{path}", {"when": "now", **_content()}).status_code == 404, path
    assert client.get(f"/organise/updates/settings/{world['organisation'].pk}/").status_code == 404
    # Their own audience cannot name our campaign or petition: the ids are refused, nothing counted.
    data = _audience(world, organisation=other.pk, step="count")
    response = client.post("/organise/updates/new/", data)
    assert response.status_code == 400 and "Choose one of your organisation" in response.text
    assert "holds" not in response.text
    response = client.post("/organise/updates/new/", _audience(world, organisation=world["organisation"].pk, campaign="", step="count"))
    assert response.status_code == 400 and "Choose one of your organisations." in response.text
    response = client.post("/organise/updates/new/", _audience(world, organisation=other.pk, campaign="", audience_petition=world["petition"].pk))
    assert response.status_code == 400
    listing = client.get("/organise/updates/")
    assert "News for" not in listing.text
    update.refresh_from_db()
    assert update.status == Update.Status.DRAFT and not Delivery.objects.exists()


def test_the_unsubscribe_page_offers_this_campaign_or_everything(client, world, smtp_server):
    run_queued_tasks()
    smtp_server.clear()
    user = world["user"]
    about_campaign = make_update(world["organisation"], user, campaign=world["campaign"], subject="About the campaign")
    send_update(about_campaign, user)
    run_queued_tasks()
    mails = smtp_server.wait_for(3)
    mail = next(m for m in mails if m.envelope_to == ["supporter0@example.org"])
    [link] = [link for link in mail.links() if "/updates/unsubscribe/" in link]
    page = client.get(link.removeprefix("http://testserver"))
    assert page.status_code == 200 and "Emails about “Crisis care” only" in page.text and "Every email from Crisis Care Coalition" in page.text
    assert client.post(link.removeprefix("http://testserver"), {"what": "nonsense"}).status_code == 400
    done = client.post(link.removeprefix("http://testserver"), {"what": "campaign"})
    assert done.status_code == 200 and "no more emails about" in done.text
    assert CampaignOptOut.objects.filter(email_normalised="supporter0@example.org").exists()
    smtp_server.clear()

    send_update(make_update(world["organisation"], user, campaign=world["campaign"], subject="Campaign again"), user)
    send_update(make_update(world["organisation"], user, subject="Everyone"), user)
    run_queued_tasks()
    mails = smtp_server.wait_for(5)
    to_zero = [m.subject for m in mails if m.envelope_to == ["supporter0@example.org"]]
    assert to_zero == ["Everyone"]

    done = client.post(link.removeprefix("http://testserver"), {"what": "everything"})
    assert done.status_code == 200
    assert Consent.objects.get(email_normalised="supporter0@example.org").withdrawn_how == Consent.Withdrawal.UNSUBSCRIBE_PAGE
    assert count_signatures(world["petition"]) == 3
    assert client.get("/updates/unsubscribe/forged-token/").status_code == 410


def test_the_own_data_page_shows_the_consent_and_withdraws_it_without_touching_the_signature(client, world):
    token = data_link_token("supporter1@example.org")
    page = client.get(f"/my-data/{token}/")
    assert "Updates from Crisis Care Coalition" in page.text
    assert "Email me news about this campaign from Crisis Care Coalition." in page.text
    consent = Consent.objects.get(email_normalised="supporter1@example.org")
    url = reverse("updates:withdraw", args=[token, consent.public_id])
    assert url in page.text
    question = client.get(url)
    assert question.status_code == 200 and consent.withdrawn_at is None
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_how == Consent.Withdrawal.OWN_DATA_PAGE
    page = client.get(f"/my-data/{token}/")
    assert re.search(r"Stopped</dt><dd>[^<]*: Their own data page", page.text)
    assert count_signatures(world["petition"]) == 3
    # The download carries it, and deleting everything erases it.
    download = client.post(f"/my-data/{token}/download/").json()
    assert download["updates"][0]["words"].startswith("Email me news")
    client.post(f"/my-data/{token}/delete/", {"confirm": "yes"})
    assert not Consent.objects.filter(email_normalised="supporter1@example.org").exists()


def test_no_token_in_an_update_email_reveals_personal_data(client, world, smtp_server):
    import base64

    run_queued_tasks()
    smtp_server.clear()
    send_update(make_update(world["organisation"], world["user"]), world["user"])
    run_queued_tasks()
    for mail in smtp_server.wait_for(3):
        for link in mail.links():
            token = link.rstrip("/").split("/")[-2 if link.rstrip("/").endswith("one-click") else -1]
            value = token.split(":")[0]
            assert "@" not in value and "supporter" not in value and "Sam" not in value
            try:
                decoded = base64.urlsafe_b64decode(value + "==").decode(errors="ignore")
            except Exception:
                decoded = ""
            assert "@" not in decoded and "Sam" not in decoded


def test_the_demo_has_opted_in_supporters_and_a_sent_update(client):
    from django.contrib.auth import get_user_model
    from groundswell.composition.demo import DEMO_ORGANISER_EMAIL, load_demo_data
    from groundswell.updates.demo import DEMO_SUBJECT
    from groundswell.updates.queries import figures

    organisation = load_demo_data(signatures=60)
    load_demo_data(signatures=60)  # a second load changes nothing
    [update] = Update.objects.filter(subject=DEMO_SUBJECT)
    assert update.status == Update.Status.SENT and update.call_to_action.startswith("letters:")
    consents = Consent.objects.filter(organisation=organisation)
    assert 10 < consents.count() < 60
    assert figures(update)["sent"] == consents.count() and figures(update)["unsubscribed"] == 2
    assert not OutgoingEmail.objects.filter(kind="updates.update").exists()  # made-up people are never mailed
    client.force_login(get_user_model().objects.get(email=DEMO_ORGANISER_EMAIL))
    assert DEMO_SUBJECT in client.get("/organise/updates/").text
    page = client.get(f"/organise/updates/{update.pk}/")
    assert page.status_code == 200 and "Figures" in page.text
