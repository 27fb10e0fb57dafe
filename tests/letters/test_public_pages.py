"""Letters' public pages: what organisers, targets and writers typed is shown as text, never markup."""

import pytest
from django.test import Client

from groundswell.letters import actions
from groundswell.letters.models import Letter
from groundswell.letters.tokens import CONFIRMATION_LINK, FOLLOWUP_LINK
from tests.factories import SUGGESTED, TRUST_EMAIL, make_action, make_target, personal_paragraph

pytestmark = pytest.mark.django_db

REFRESH = '<meta http-equiv="refresh" content="0;url=https://elsewhere.example/">'
BOLD = "<b>bold</b>"


def _form(action, **overrides):
    data = {
        "name": "Robin Reader", "email": "robin@example.org", "subject": action.subject,
        "personal": personal_paragraph(1), "body": SUGGESTED,
    }
    if action.to_mp:
        data["postcode"] = "GU2 7XX"
    data.update(overrides)
    return data


def _assert_inert(html: str, label: str):
    assert "<meta http-equiv" not in html, label
    assert "<b>bold" not in html, label
    assert "&lt;meta http-equiv" in html or "&lt;b&gt;bold" in html, f"{label} does not show the text at all"


def test_html_in_a_suggested_text_a_targets_name_or_a_letter_is_shown_as_text_on_every_letter_page(client):
    action = make_action(to_mp=False, suggested_text=f"Suggested {REFRESH}\nsecond line")
    action.target = make_target(action.campaign.organisation, name=f"Trust {BOLD}", contact_email=TRUST_EMAIL)
    action.save()
    form = _form(action, name=f"Robin {BOLD}", personal=personal_paragraph(1) + " " + REFRESH, body=f"{REFRESH}\nsecond line")

    preview = client.post(f"/letters/{action.slug}/", {**form, "step": "preview"})
    assert preview.status_code == 200
    html = preview.content.decode()
    _assert_inert(html, "preview")
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in html
    assert "&lt;/b&gt;,<br>" in html  # "Dear Trust <b>bold</b>," escaped, its line break kept

    compose = client.get(f"/letters/{action.slug}/").content.decode()
    _assert_inert(compose, "compose")

    letter = actions.write_letter(action=action, **{k: v for k, v in form.items() if k != "postcode"}, postcode="")
    confirm_token = CONFIRMATION_LINK.make(letter.public_id)
    pages = {"confirm": client.get(f"/letters/confirm/{confirm_token}/")}
    actions.confirm_letter(letter=letter)
    pages["confirmed"] = client.get(f"/letters/confirmed/{confirm_token}/")
    pages["answer"] = Client().get(f"/letters/reply/{FOLLOWUP_LINK.make(letter.public_id)}/replied/")
    pages["recipient"] = client.get(f"/letters/recipients/{letter.contact_id}/")
    for label, response in pages.items():
        assert response.status_code == 200, label
        _assert_inert(response.content.decode(), label)
    assert Letter.objects.count() == 1


def test_a_real_postcode_the_data_does_not_know_offers_the_constituency_list_and_the_letter_goes_to_its_mp(client, imported_pack):
    action = make_action()
    url = f"/letters/{action.slug}/"
    compose = client.get(url).content.decode()
    assert '<input type="hidden" name="constituency"' in compose and "<select" not in compose  # not needed yet

    response = client.post(url, {**_form(action, postcode="bt1 1aa"), "step": "preview"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not find BT1 1AA in our postcode list" in html
    assert '<label for="id_constituency">Your constituency</label>' in html
    assert '<select name="constituency"' in html and 'aria-describedby="id_constituency_helptext id_constituency_error"' in html
    assert '<option value="N05000001">Belfast East (Northern Ireland)</option>' in html
    assert "without a constituency" not in html  # a letter to an MP needs one
    assert 'value="bt1 1aa"' in html  # what was typed is kept
    assert not Letter.objects.exists()

    chosen = {**_form(action, postcode="BT1 1AA"), "constituency": "N05000001"}
    preview = client.post(url, {**chosen, "step": "preview"})
    assert preview.status_code == 200
    assert "Gavin Robinson, MP for Belfast East" in preview.content.decode()
    assert '<input type="hidden" name="constituency" value="N05000001">' in preview.content.decode()  # carried to "send"
    assert client.post(url, {**chosen, "step": "send"}).status_code == 302
    letter = Letter.objects.get()
    assert (letter.contact.email, letter.constituency_code, letter.postcode) == ("gavin.robinson.mp@parliament.uk", "N05000001", "BT1 1AA")


def test_a_made_up_constituency_is_refused_kindly_and_a_known_postcode_wins_over_a_stray_choice(client, imported_pack):
    action = make_action()
    url = f"/letters/{action.slug}/"
    response = client.post(url, {**_form(action, postcode="BT1 1AA"), "constituency": "<x>", "step": "preview"})
    assert response.status_code == 400
    assert "Choose your constituency from the list." in response.content.decode()
    preview = client.post(url, {**_form(action, postcode="GU2 7XX"), "constituency": "N05000001", "step": "preview"})
    assert preview.status_code == 200
    assert "Zöe Franklin, MP for Guildford" in preview.content.decode()


def test_the_demo_writes_to_no_one_named_its_mailto_link_and_its_delivery_use_a_made_up_address(client, imported_pack, smtp_server):
    from urllib.parse import unquote

    from tests.support.queue import run_queued_tasks
    from groundswell.letters.demo import DEMO_SLUG, load_demo_letters
    from groundswell.letters.models import LetterAction
    from tests.factories import make_campaign

    campaign = make_campaign(is_demo=True)
    load_demo_letters(campaign_slug=campaign.slug)
    action = LetterAction.objects.get(slug=DEMO_SLUG)
    url = f"/letters/{action.slug}/"
    preview = client.post(url, {**_form(action), "step": "preview"})
    html = preview.content.decode()
    assert "no message is sent to anyone named here" in html  # the banner...
    assert "Zöe Franklin, MP for Guildford" in html
    assert "parliament.uk" not in unquote(html)  # ...is true: the real address is nowhere
    [mailto] = [href for href in html.split('href="')[1:] if href.startswith("mailto:")]
    assert mailto.startswith("mailto:zoe.franklin@demo.groundswell.invalid?")

    assert client.post(url, {**_form(action), "step": "send"}).status_code == 302
    run_queued_tasks()
    [request_mail] = smtp_server.wait_for(1)
    [link] = [link for link in request_mail.links() if "/letters/confirm/" in link]
    assert client.post(link.removeprefix("http://testserver")).status_code == 302
    run_queued_tasks()
    letter_mail = smtp_server.wait_for(2)[1]
    assert letter_mail.envelope_to == ["zoe.franklin@demo.groundswell.invalid"]
    # The demo's contact is its own: demo letters and answers never count for the real MP.
    assert Letter.objects.get().contact.key == "demo:mp:5210"


def test_a_demo_letter_to_an_institution_goes_to_a_made_up_address_too(client, db):
    from tests.factories import make_campaign

    action = make_action(make_campaign(is_demo=True), to_mp=False)
    action.target = make_target(action.campaign.organisation, name="Real NHS Trust", contact_email="enquiries@real-trust.nhs.uk")
    action.save()
    preview = client.post(f"/letters/{action.slug}/", {**_form(action), "step": "preview"}).content.decode()
    assert "real.nhs.trust@demo.groundswell.invalid" in preview and "real-trust.nhs.uk" not in preview
    assert actions.write_letter(action=action, postcode="", **_form(action)).contact.email == "real.nhs.trust@demo.groundswell.invalid"
