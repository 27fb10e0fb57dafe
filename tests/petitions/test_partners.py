"""Partner organisations: a box each on the sign form, their own link, and each partner seeing
exactly the supporters who ticked its box (pages, CSV) and the counts of everyone; exports logged."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from groundswell.petitions.models import PartnerOptIn, Signature, SupporterExport
from groundswell.petitions.partner_fields import partner_wording
from groundswell.petitions.forms import updates_wording
from groundswell.supporters.models import ConsentStatement
from tests.factories import make_campaign, make_organisation, make_organiser, make_partner, make_petition, make_signature
from tests.petitions.test_views import post_sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def coalition():
    lead = make_organisation("Crisis Care Coalition")
    mind, rethink = make_organisation("Mind Surrey"), make_organisation("Rethink")
    campaign = make_campaign(lead)
    petition = make_petition(campaign)
    return {
        "lead": lead, "campaign": campaign, "petition": petition,
        "mind": make_partner(campaign, mind, slug="mind"), "rethink": make_partner(campaign, rethink, slug="rethink"),
        "lead_owner": make_organiser(lead, email="lead@example.org", role="owner"),
        "mind_organiser": make_organiser(mind, email="mind@example.org", role="organiser"),
        "mind_viewer": make_organiser(mind, email="mind-viewer@example.org", role="viewer"),
        "rethink_organiser": make_organiser(rethink, email="rethink@example.org", role="organiser"),
    }


def csv_rows(response):
    assert isinstance(response, StreamingHttpResponse)
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_sign_form_asks_each_partner_separately_unticked_and_names_them(client, coalition):
    petition = coalition["petition"]
    html = client.get(reverse("petitions:detail", args=[petition.slug])).content.decode()
    assert "With partners: Mind Surrey, Rethink" in html
    for partner in (coalition["mind"], coalition["rethink"]):
        box = html.split(f'name="partner_{partner.pk}"')[0].rsplit("<input", 1)[1] + html.split(f'name="partner_{partner.pk}"')[1].split(">")[0]
        assert 'type="checkbox"' in box and "checked" not in box
        assert partner_wording(partner) in html
    campaign_page = client.get(reverse("composition:campaign", args=[coalition["campaign"].slug])).content.decode()
    assert "With partners: Mind Surrey, Rethink" in campaign_page


def test_a_ticked_box_is_recorded_with_its_words_and_the_source_link_attributes(client, coalition):
    petition, mind = coalition["petition"], coalition["mind"]
    page = client.get(reverse("petitions:detail", args=[petition.slug]) + "?source=mind").content.decode()
    assert 'name="source" value="mind"' in page
    assert post_sign(client, petition, email="a@example.org", **{f"partner_{mind.pk}": "on", "source": "mind"}).status_code == 302
    assert post_sign(client, petition, email="b@example.org", source="no-such-partner").status_code == 302
    a, b = Signature.objects.get(email="a@example.org"), Signature.objects.get(email="b@example.org")
    [opt_in] = PartnerOptIn.objects.all()
    assert (opt_in.signature, opt_in.partner) == (a, mind)
    assert opt_in.consent.text == partner_wording(mind) and opt_in.consent.purpose == ConsentStatement.Purpose.PARTNER_UPDATES
    assert a.source_partner == mind and b.source_partner is None
    # An unknown source never reaches the page (nor the page cache's key).
    other = client.get(reverse("petitions:detail", args=[petition.slug]) + "?source=<script>").content.decode()
    assert 'value="&lt;script' not in other and 'value="<script' not in other and 'name="source" id="id_source"' in other


def signed(petition, email, *, partners=(), updates=False, confirmed=True):
    return make_signature(
        petition, email, confirmed=confirmed,
        partner_opt_ins=[(p, partner_wording(p)) for p in partners],
        updates_text=updates_wording(petition) if updates else None,
    )


def test_a_partner_sees_exactly_the_supporters_who_ticked_its_box(client, coalition):
    petition, mind, rethink = coalition["petition"], coalition["mind"], coalition["rethink"]
    to_mind = signed(petition, "to-mind@example.org", partners=[mind])
    both = signed(petition, "both@example.org", partners=[mind, rethink], updates=True)
    to_rethink = signed(petition, "to-rethink@example.org", partners=[rethink])
    lead_only = signed(petition, "lead-only@example.org", updates=True)
    signed(petition, "unconfirmed@example.org", partners=[mind], confirmed=False)

    client.force_login(coalition["mind_organiser"])
    page = client.get(reverse("petitions:partner", args=[mind.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for shown in (to_mind, both):
        assert shown.email in html
    for hidden in (to_rethink, lead_only):
        assert hidden.email not in html
    assert "Everyone" in html and ">4<" in html  # the counts of everyone: four confirmed signatures
    rows = csv_rows(client.post(reverse("petitions:partner_csv", args=[mind.pk])))
    assert sorted(r["email"] for r in rows) == ["both@example.org", "to-mind@example.org"]
    assert {r["consent"] for r in rows} == {partner_wording(mind)}
    # Another partner's page and file, and the lead's export, are not Mind's to see, whatever id is tried.
    assert client.get(reverse("petitions:partner", args=[rethink.pk])).status_code == 404
    assert client.post(reverse("petitions:partner_csv", args=[rethink.pk])).status_code == 404
    assert client.get(reverse("petitions:export", args=[coalition["lead"].slug])).status_code == 404
    assert client.post(reverse("petitions:export_csv", args=[coalition["lead"].slug])).status_code == 404
    assert client.get(reverse("petitions:campaign_partners", args=[coalition["campaign"].pk])).status_code == 404
    # A viewer of the partner sees the counts, not the people.
    client.force_login(coalition["mind_viewer"])
    html = client.get(reverse("petitions:partner", args=[mind.pk])).content.decode()
    assert "to-mind@example.org" not in html and "Everyone" in html
    assert client.post(reverse("petitions:partner_csv", args=[mind.pk])).status_code == 404


def test_the_lead_exports_its_opted_in_supporters_with_their_consent_streamed_and_logged(client, coalition):
    petition = coalition["petition"]
    signed(petition, "yes@example.org", updates=True)
    signed(petition, "no@example.org")
    signed(petition, "=cmd@example.org", updates=True)
    client.force_login(coalition["lead_owner"])
    assert client.get(reverse("petitions:export_csv", args=[coalition["lead"].slug])).status_code == 405
    response = client.post(reverse("petitions:export_csv", args=[coalition["lead"].slug]))
    rows = csv_rows(response)
    assert sorted(r["email"] for r in rows) == ["'=cmd@example.org", "yes@example.org"]  # a formula made inert
    assert rows[0]["consent"] == updates_wording(petition) and rows[0]["consent_given_at"]
    [log] = SupporterExport.objects.all()
    assert (log.by_email, log.rows, log.organisation, log.partner) == ("lead@example.org", 2, coalition["lead"], None)
    page = client.get(reverse("petitions:export", args=[coalition["lead"].slug])).content.decode()
    assert "lead@example.org" in page


def test_moderators_and_viewers_cannot_export(client, coalition):
    for role in ("moderator", "viewer"):
        client.force_login(make_organiser(coalition["lead"], role=role))
        assert client.get(reverse("petitions:export", args=[coalition["lead"].slug])).status_code == 404
        assert client.post(reverse("petitions:export_csv", args=[coalition["lead"].slug])).status_code == 404
    assert not SupporterExport.objects.exists()


def test_the_campaigns_organisers_add_and_remove_partners_and_see_figures_by_source(client, coalition):
    campaign, petition = coalition["campaign"], coalition["petition"]
    client.force_login(coalition["lead_owner"])
    new = make_organisation("Samaritans")
    response = client.post(reverse("petitions:campaign_partners", args=[campaign.pk]), {"organisation": new.pk, "slug": "mind"})
    assert response.status_code == 400 and b"Another partner of this campaign has this source name" in response.content
    response = client.post(reverse("petitions:campaign_partners", args=[campaign.pk]), {"organisation": "99999"})
    assert response.status_code == 400 and b"Choose an organisation from the list" in response.content
    response = client.post(reverse("petitions:campaign_partners", args=[campaign.pk]), {"organisation": new.pk, "slug": ""})
    assert response.status_code == 302
    make_signature(petition, "via-mind@example.org", source_partner=coalition["mind"])
    html = client.get(reverse("petitions:campaign_partners", args=[campaign.pk])).content.decode()
    assert "Samaritans" in html and f"?source={new.slug}" in html
    assert "Mind Surrey</th><td class=\"number\">1<" in html
    partner = campaign.partners.get(organisation=new)
    assert client.post(reverse("petitions:campaign_partner_remove", args=[campaign.pk, partner.pk])).status_code == 302
    assert not campaign.partners.filter(organisation=new).exists()
