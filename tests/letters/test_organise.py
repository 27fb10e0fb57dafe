"""Organisers set up letter-writing actions, within their own organisation only."""

import pytest

from groundswell.letters.models import LetterAction
from tests.factories import SUGGESTED, TRUST_EMAIL, make_campaign, make_organisation, make_organiser, make_target

pytestmark = pytest.mark.django_db


def _fields(campaign, **overrides):
    data = {
        "campaign": campaign.pk, "slug": "write-to-the-trust", "title": "Write to the trust", "recipient_kind": "target",
        "target": "", "subject": "Crisis care", "suggested_text": SUGGESTED, "guidance": "Be kind.", "is_open": "on",
    }
    data.update(overrides)
    return data


def test_an_organiser_creates_a_letter_action_to_a_ledger_target_with_a_contact_email(client):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation))
    campaign = make_campaign(organisation)
    no_email = make_target(organisation, name="Trust without email")
    response = client.post("/organise/letters/new/", _fields(campaign, target=no_email.pk))
    assert response.status_code == 200 and "has no contact email yet" in response.text
    target = make_target(organisation, contact_email=TRUST_EMAIL)
    response = client.post("/organise/letters/new/", _fields(campaign, target=target.pk))
    assert response.status_code == 302
    action = LetterAction.objects.get()
    assert action.target == target and not action.to_mp
    assert "Write to the trust" in client.get("/organise/letters/").text
    assert "Write to the trust" in client.get(f"/campaigns/{campaign.slug}/").text
    response = client.post("/organise/letters/new/", _fields(campaign, slug="mps", recipient_kind="mp", target=target.pk))
    assert response.status_code == 302
    assert LetterAction.objects.get(slug="mps").target is None


def test_organisers_cannot_use_another_organisations_campaigns_targets_or_actions(client):
    ours, theirs = make_organisation(), make_organisation()
    client.force_login(make_organiser(ours))
    our_campaign, their_campaign = make_campaign(ours), make_campaign(theirs)
    their_target = make_target(theirs, contact_email=TRUST_EMAIL)
    assert client.post("/organise/letters/new/", _fields(their_campaign, recipient_kind="mp")).status_code == 200
    response = client.post("/organise/letters/new/", _fields(our_campaign, target=their_target.pk))
    assert response.status_code == 200
    assert not LetterAction.objects.exists()
    their_action = LetterAction.objects.create(
        campaign=their_campaign, slug="theirs", title="Theirs", subject="S", suggested_text=SUGGESTED
    )
    assert client.get(f"/organise/letters/{their_action.pk}/edit/").status_code == 404
    assert "Theirs" not in client.get("/organise/letters/").text


def test_a_supporters_own_data_shows_and_deletes_their_letters(client, imported_pack, smtp_server):
    from tests.support.queue import run_queued_tasks
    from groundswell.letters import actions
    from groundswell.letters.models import Letter
    from tests.factories import data_link_token as make_data_token
    from tests.factories import make_action, personal_paragraph

    action = make_action()
    sent = actions.write_letter(
        action=action, name="Robin", email="Robin@Example.org", postcode="GU2 7XX", subject="About care",
        personal=personal_paragraph(1), body="My letter words.",
    )
    actions.confirm_letter(letter=sent)
    run_queued_tasks()
    unsent = actions.write_letter(
        action=action, name="Robin", email="robin@example.org", postcode="GU2 7XX", subject="Second",
        personal=personal_paragraph(2), body="More words.",
    )
    token = make_data_token("robin@example.org")
    page = client.get(f"/my-data/{token}/")
    assert "Letter to Zöe Franklin" in page.text and "About care" in page.text and "Second" in page.text
    assert "It also deletes your 2 letters" in client.get(f"/my-data/{token}/delete/").text  # asks first
    done = client.post(f"/my-data/{token}/delete/", {"confirm": "yes"})
    assert "We deleted your 2 letters" in done.text
    assert not Letter.objects.filter(pk=unsent.pk).exists()
    kept = Letter.objects.get(pk=sent.pk)
    assert (kept.supporter_name, kept.supporter_email, kept.body, kept.postcode) == ("", "", "", "")
    assert "We hold no signatures or other data" in client.get(f"/my-data/{token}/").text


def test_from_a_silent_targets_page_an_organiser_starts_a_chase_prefilled_with_the_ask(client):
    from datetime import date

    from groundswell.ledger.models import Ask

    organisation = make_organisation()
    client.force_login(make_organiser(organisation))
    campaign = make_campaign(organisation, title="Care not police")
    target = make_target(organisation, name="NHS England", contact_email=TRUST_EMAIL)
    ask = Ask.objects.create(campaign=campaign, target=target, asked_on=date(2021, 5, 6), text="End police involvement in crisis care.")
    page = client.get(f"/organise/ledger/targets/{target.pk}/").text
    assert f"/organise/letters/new/?chase={ask.pk}" in page and "Start a chase" in page

    form = client.get(f"/organise/letters/new/?chase={ask.pk}").text
    assert "Still waiting for your answer: our request of 6 May 2021" in form
    assert "End police involvement in crisis care." in form
    assert f'value="{target.pk}" selected' in form or f'value="{target.pk}" checked' in form

    other = make_organisation()
    stranger_ask = Ask.objects.create(campaign=make_campaign(other), target=make_target(other, name="Elsewhere", contact_email=TRUST_EMAIL), text="x")
    assert client.get(f"/organise/letters/new/?chase={stranger_ask.pk}").status_code == 404
