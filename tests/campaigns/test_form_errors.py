"""Organisers' form errors name their field, in the summary that links to it, in plain words."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_campaign, make_organisation, make_organiser, make_petition
from tests.protection.helpers import form_data

pytestmark = pytest.mark.django_db


def _summary(html):
    return html.split('class="error-summary"')[1].split("</div>")[0]


def test_an_empty_petition_form_names_every_field_in_the_summary(client):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation))
    make_campaign(organisation)
    response = client.post(reverse("petitions:create"), {"title": "", "opens_on": ""})
    assert response.status_code == 200
    summary = _summary(response.content.decode())
    assert "There are 7 problems to fix" in summary
    for field_id, text in [
        ("id_campaign", "Campaign: Choose the campaign this petition belongs to."),
        ("id_title", "Title: Enter a title."),
        ("id_ask", "What the petition asks for: Enter what the petition asks for."),
        ("id_why", "Why it matters: Enter why it matters."),
        ("id_addressed_to", "Addressed to: Enter who the petition is addressed to."),
        ("id_opens_on", "Opening date: Enter the opening date."),
        ("id_closes_on", "Closing date: Enter the closing date."),
    ]:
        assert f'<a href="#{field_id}">{text}</a>' in summary
    assert "This field is required." not in summary


def test_a_field_without_its_own_message_is_still_named(client):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation))
    summary = _summary(client.post(reverse("ledger:target_create"), {"organisation": organisation.pk}).content.decode())
    assert re.search(r'<a href="#id_name">Name: [^<]+</a>', summary)


def test_the_sign_forms_summary_names_the_agreement_briefly(client):
    petition = make_petition()
    data = form_data(petition, email="sam@example.org")
    del data["consent"]
    response = client.post(reverse("petitions:detail", args=[petition.slug]), data)
    summary = _summary(response.content.decode())
    assert "There is a problem to fix" in summary
    assert '<a href="#id_consent">Your agreement: To sign, tick the box' in summary
