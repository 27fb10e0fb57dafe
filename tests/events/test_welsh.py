"""Events in Welsh: organisers' Welsh title and description on the /cy/ pages (the English as a
fallback, its lang marked), the calendar files in the page's language, and an RSVP's emails in
the language of the page it was made on (a real SMTP server)."""

import pytest
from django.utils import translation

from groundswell.campaigns.models import Campaign
from groundswell.events.forms import EventForm
from groundswell.events.models import RSVP
from tests.factories import make_event
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

WELSH = {"title_cy": "Digwyddiad gwrando", "description_cy": "Dywedwch wrth yr ymddiriedolaeth sut y dylai gofal brys fod."}


def test_the_welsh_page_shows_the_welsh_title_and_description_with_the_page_in_welsh(client):
    event = make_event(title="Listening event", description="Tell the trust what crisis care should be like.", **WELSH)
    welsh = client.get(f"/cy/events/{event.pk}/").content.decode()
    assert '<html lang="cy"' in welsh
    assert "<h1>Digwyddiad gwrando</h1>" in welsh
    assert "<p>Dywedwch wrth yr ymddiriedolaeth sut y dylai gofal brys fod.</p>" in welsh
    assert "Listening event" not in welsh and "Tell the trust" not in welsh
    english = client.get(f"/events/{event.pk}/").content.decode()
    assert "<h1>Listening event</h1>" in english and "Digwyddiad gwrando" not in english


def test_without_welsh_the_welsh_page_falls_back_to_the_english_marked_as_english(client):
    event = make_event(title="Listening event", description="Tell the trust.")
    welsh = client.get(f"/cy/events/{event.pk}/").content.decode()
    assert '<h1><span lang="en-GB">Listening event</span></h1>' in welsh
    assert '<div lang="en-GB"><p>Tell the trust.</p></div>' in welsh
    # the campaign's page lists it the same way
    campaign_page = client.get(f"/cy/campaigns/{event.campaign.slug}/").content.decode()
    assert f'<a href="/cy/events/{event.pk}/"><span lang="en-GB">Listening event</span></a>' in campaign_page


def test_the_campaign_page_and_calendar_files_use_the_welsh_title_under_cy(client):
    event = make_event(title="Listening event", **WELSH)
    campaign_page = client.get(f"/cy/campaigns/{event.campaign.slug}/").content.decode()
    assert f'<a href="/cy/events/{event.pk}/">Digwyddiad gwrando</a>' in campaign_page
    assert b"SUMMARY:Digwyddiad gwrando" in client.get(f"/cy/events/{event.pk}/event.ics").content
    assert b"SUMMARY:Listening event" in client.get(f"/events/{event.pk}/event.ics").content
    feed = client.get(f"/cy/campaigns/{event.campaign.slug}/events.ics").content
    assert b"SUMMARY:Digwyddiad gwrando" in feed


def test_the_organisers_form_offers_the_welsh_title_and_description():
    event = make_event()
    form = EventForm(instance=event, campaigns=Campaign.objects.filter(pk=event.campaign_id))
    with translation.override("en-gb"):
        assert (str(form.fields["title_cy"].label), str(form.fields["description_cy"].label)) == ("Welsh title", "Welsh description")
    with translation.override("cy"):
        assert (str(form.fields["title_cy"].label), str(form.fields["description_cy"].label)) == ("Teitl Cymraeg", "Disgrifiad Cymraeg")
    assert form.fields["title_cy"].max_length == 200 and not form.fields["title_cy"].required


def test_an_rsvp_made_on_a_welsh_page_gets_its_emails_in_welsh(client, smtp_server):
    event = make_event(title="Listening event", **WELSH)
    response = client.post(f"/cy/events/{event.pk}/", {"name": "Rhian", "email": "rhian@example.org"})
    assert response.status_code == 302 and response["Location"].startswith("/cy/")
    rsvp = RSVP.objects.get()
    assert rsvp.language == "cy"
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    assert mail.subject == "Cadarnhewch eich ymateb: Digwyddiad gwrando"
    assert "Helo Rhian," in mail.text
    confirm = [link for link in mail.links() if "/events/confirm/" in link][0]
    assert "/cy/events/confirm/" in confirm
    client.post(confirm.split("testserver", 1)[1])
    run_queued_tasks()
    confirmed = smtp_server.wait_for(2)[1]
    assert confirmed.subject == "Mae eich lle wedi'i gadarnhau: Digwyddiad gwrando"
    [attachment] = list(confirmed.message.iter_attachments())
    content = attachment.get_content()
    assert "SUMMARY:Digwyddiad gwrando" in (content.decode() if isinstance(content, bytes) else content)


def test_an_rsvp_made_in_english_gets_its_emails_in_english(client, smtp_server):
    event = make_event(title="Listening event", **WELSH)
    client.post(f"/events/{event.pk}/", {"name": "Robin", "email": "robin@example.org"})
    assert RSVP.objects.get().language == "en-gb"
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    assert mail.subject == "Please confirm your reply: Listening event"
    assert "Hello Robin," in mail.text and "Helo" not in mail.text
    assert "/cy/" not in mail.text


def test_replying_again_in_the_other_language_switches_the_emails_to_it(client, smtp_server):
    event = make_event(title="Listening event", **WELSH)
    client.post(f"/events/{event.pk}/", {"name": "Robin", "email": "robin@example.org"})
    run_queued_tasks()
    assert smtp_server.wait_for(1)[0].subject == "Please confirm your reply: Listening event"
    client.post(f"/cy/events/{event.pk}/", {"name": "Robin", "email": "robin@example.org"})
    assert RSVP.objects.get().language == "cy"
    run_queued_tasks()
    assert smtp_server.wait_for(2)[1].subject == "Cadarnhewch eich ymateb: Digwyddiad gwrando"
