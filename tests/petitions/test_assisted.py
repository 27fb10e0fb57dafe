"""Assisted signing: a volunteer signs for someone, reading the consent aloud; recorded as assisted
and by whom, confirmed by email when the person has one; limited per volunteer, not per IP."""

from urllib.parse import urlsplit

import pytest

from groundswell.petitions import queries
from groundswell.petitions.forms import consent_wording
from groundswell.petitions.models import Channel, EntryRecord, Signature
from groundswell.protection.models import RateLimits
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition
from tests.geography.conftest import imported_pack, small_pack  # noqa: F401
from tests.support.queue import run_queued_tasks


@pytest.fixture
def world(db, imported_pack):
    organisation = make_organisation("Crisis Care Coalition")
    volunteer = make_organiser(organisation, email="vol@example.org", role="moderator")  # any member may take them
    petition = make_petition(make_campaign(organisation), title="Care, not cells")
    return {"organisation": organisation, "volunteer": volunteer, "petition": petition}


def _assist(client, petition, **fields):
    data = {"name": "Pat Caller", "email": "", "postcode": "GU1 1AA", "consent_read": "on"}
    data.update(fields)
    return client.post(f"/organise/petitions/{petition.pk}/assisted/", {k: v for k, v in data.items() if v is not None})


def test_an_assisted_signature_records_the_volunteer_and_the_person_confirms_from_the_email(client, world, smtp_server):
    client.force_login(world["volunteer"])
    petition = world["petition"]
    page = client.get(f"/organise/petitions/{petition.pk}/assisted/").content.decode()
    assert "I read these words aloud and they agreed" in page and consent_wording(petition).split(".")[0] in page

    assert _assist(client, petition, email="pat@example.org").status_code == 302
    signature = Signature.objects.get()
    assert (signature.channel, signature.entered_by, signature.confirmed_at) == (Channel.ASSISTED, world["volunteer"], None)
    assert signature.consent.text == consent_wording(petition) and signature.ip_address is None
    assert queries.count_signatures(petition) == 0
    assert EntryRecord.objects.get().action == EntryRecord.Action.ASSISTED

    assert run_queued_tasks() == 1
    [mail] = smtp_server.wait_for(1)
    assert mail.envelope_to == ["pat@example.org"] and "A volunteer signed it for you" in mail.text
    [link] = [link for link in mail.links() if "/confirm/" in link]
    client.logout()
    assert client.post(urlsplit(link).path).status_code == 302
    assert queries.count_by_channel(petition) == {"online": 0, "paper": 0, "assisted": 1}
    assert "1 assisted" in client.get(f"/petitions/{petition.slug}/").content.decode()


def test_without_an_email_it_counts_at_once_and_the_same_person_cannot_be_entered_twice(client, world):
    client.force_login(world["volunteer"])
    petition = world["petition"]
    assert _assist(client, petition).status_code == 302
    assert queries.count_by_channel(petition)["assisted"] == 1
    response = _assist(client, petition, name="pat  caller", postcode="gu11aa")
    assert response.status_code == 400 and "already entered on this petition" in response.content.decode()
    response = _assist(client, petition, consent_read=None)
    assert response.status_code == 400 and "Read them the consent words" in response.content.decode()


def test_the_limit_is_per_volunteer_not_per_ip_address(client, world):
    RateLimits.objects.create(organisation=world["organisation"], volunteer_hourly_limit=2)
    petition = world["petition"]
    client.force_login(world["volunteer"])
    for i in range(3):
        _assist(client, petition, name=f"Caller {i}")  # all from the test client's one address
    flags = list(Signature.objects.order_by("pk").values_list("flagged_reason", flat=True))
    assert flags == ["", "", "rate_volunteer"]
    assert queries.count_signatures(petition) == 2
    # A second volunteer on the same phone bank (same IP address) has their own allowance.
    other = make_organiser(world["organisation"], email="vol2@example.org")
    client.force_login(other)
    _assist(client, petition, name="Caller 9")
    assert Signature.objects.get(name="Caller 9").flagged_reason == ""


def test_strangers_cannot_sign_for_someone_on_another_organisations_petition(client, world):
    client.force_login(make_organiser(make_organisation()))
    assert _assist(client, world["petition"]).status_code == 404
    assert not Signature.objects.exists()


def test_an_organiser_withdraws_an_assisted_signature_with_a_reason_on_the_record(client, world):
    organiser = make_organiser(world["organisation"], email="org@example.org")
    client.force_login(organiser)
    petition = world["petition"]
    _assist(client, petition)
    signature = Signature.objects.get()
    page = client.get(f"/organise/petitions/{petition.pk}/assisted/").content.decode()
    assert f"/organise/signatures/{signature.public_id}/withdraw/" in page
    response = client.post(f"/organise/signatures/{signature.public_id}/withdraw/", {"reason": "Entered for the wrong petition"})
    assert response.status_code == 302
    assert queries.count_signatures(petition) == 0
    record = EntryRecord.objects.get(action=EntryRecord.Action.SIGNER_WITHDRAWN)
    assert (record.by, record.reason) == (organiser, "Entered for the wrong petition")
