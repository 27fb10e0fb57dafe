"""Text versions: after the first signature an edit to the title or ask is a new version; each
signature keeps the version it signed; the page shows the change; a material change emails the
signers of earlier versions who opted in."""

import pytest

from groundswell.core.models import OutgoingEmail
from groundswell.petitions import emails
from groundswell.petitions.forms import updates_wording
from groundswell.petitions.models import PetitionVersion, Signature
from groundswell.petitions.versions import word_diff
from tests.factories import make_organiser, make_petition, make_signature, sign
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def _edit(client, petition, **changes):
    form = {"campaign": petition.campaign.pk, "title": petition.title, "slug": petition.slug, "ask": petition.ask, "why": petition.why,
            "addressed_to": petition.addressed_to, "opens_on": petition.opens_on.isoformat(),
            "closes_on": petition.closes_on.isoformat(), "milestones_text": "100", "text_change_note": ""}
    form.update(changes)
    response = client.post(f"/organise/petitions/{petition.pk}/edit/", {k: v for k, v in form.items() if v is not None})
    assert response.status_code == 302, response.content.decode()
    petition.refresh_from_db()
    return response


@pytest.fixture
def organiser(client):
    def log_in(petition):
        client.force_login(make_organiser(petition.campaign.organisation))
        return client
    return log_in


def test_edits_before_anyone_signs_correct_version_one(organiser):
    petition = make_petition(ask="Fund crisis care.")
    client = organiser(petition)
    _edit(client, petition, ask="Fund crisis care teams.")
    assert list(PetitionVersion.objects.values_list("number", "ask")) == [(1, "Fund crisis care teams.")]
    assert petition.text_version == 1


def test_an_edit_after_signatures_makes_a_version_shown_on_the_page_and_signatures_keep_theirs(organiser, smtp_server):
    petition = make_petition(title="Care, not cells", ask="Fund crisis care teams in every area.")
    client = organiser(petition)
    opted_in = make_signature(petition, "news@example.org", updates_text=updates_wording(petition))
    quiet = make_signature(petition, "quiet@example.org")
    first = opted_in.version
    assert first.number == 1 and quiet.version == first

    _edit(client, petition, ask="Fund crisis care teams in every area by 2028.", text_change_note="A date, as the trust asked.")
    assert petition.text_version == 2
    later = make_signature(petition, "later@example.org", updates_text=updates_wording(petition))
    assert Signature.objects.get(pk=opted_in.pk).version.number == 1 and later.version.number == 2

    page = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "this is version 2" in page and f"/petitions/{petition.slug}/versions/" in page
    history = client.get(f"/petitions/{petition.slug}/versions/").content.decode()
    assert "Version 2" in history and "Version 1" in history and "A date, as the trust asked." in history
    assert "<del><span class=\"visually-hidden\">[removed: </span>area.<" in history
    assert "<ins><span class=\"visually-hidden\">[added: </span>area by 2028.<" in history

    # Only the opted-in signer of the earlier version is told, through the outbox, and gets a real email.
    rows = OutgoingEmail.objects.filter(kind=emails.TEXT_CHANGED_EMAIL)
    assert [row.object_id for row in rows] == [opted_in.pk]
    run_queued_tasks()
    mails = [m for m in smtp_server.wait_for(3) if "has changed" in m.subject]
    assert [m.envelope_to for m in mails] == [["news@example.org"]]
    assert "by 2028" in mails[0].text and "Fund crisis care teams in every area." in mails[0].text


def test_a_minor_correction_is_a_version_but_emails_no_one(organiser):
    petition = make_petition(ask="Fund crisis care teams in evry area.")
    client = organiser(petition)
    make_signature(petition, "news@example.org", updates_text=updates_wording(petition))
    _edit(client, petition, ask="Fund crisis care teams in every area.", text_change_minor="on")
    version = PetitionVersion.objects.get(number=2)
    assert version.minor
    assert not OutgoingEmail.objects.filter(kind=emails.TEXT_CHANGED_EMAIL).exists()
    assert "minor correction" in client.get(f"/petitions/{petition.slug}/versions/").content.decode()


def test_the_diff_is_word_by_word_and_the_history_escapes_text():
    assert word_diff("Fund care now.", "Fund crisis care now.") == [("same", "Fund"), ("added", " crisis"), ("same", " care now.")]


def test_version_history_escapes_what_organisers_typed(organiser, client):
    petition = make_petition(ask="Safe ask.")
    organiser(petition)
    sign(petition, "a@example.org")
    _edit(client, petition, ask="<script>alert(1)</script> ask.")
    html = client.get(f"/petitions/{petition.slug}/versions/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_the_version_signatures_record_is_cached_briefly_and_a_new_version_takes_effect_at_once(
    organiser, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Each signature records the current version without reading it (petitions.queries
    .cached_current_version_id); an organiser's edit forgets it, so the next signature in this
    process records the new version, and in other processes within PUBLIC_PAGE_CACHE_SECONDS."""
    import time_machine
    from datetime import timedelta
    from django.utils import timezone

    from groundswell.petitions import actions

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    petition = make_petition(ask="Fund crisis care teams.")
    client = organiser(petition)
    with django_capture_on_commit_callbacks(execute=True):  # the first signature makes version 1
        assert sign(petition, "first@example.org").signature.version.number == 1
    version_one = PetitionVersion.objects.get(number=1).pk
    assert actions.current_version_id(petition) == version_one
    with django_assert_num_queries(0):
        assert actions.current_version_id(petition) == version_one
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, petition, ask="Fund crisis care teams by 2028.", text_change_minor="on")
    assert Signature.objects.get(pk=sign(petition, "second@example.org").signature.pk).version.number == 2

    # Another process (simulated: a version made without this process forgetting its value)
    # records the new one once its cached value is PUBLIC_PAGE_CACHE_SECONDS old.
    PetitionVersion.objects.create(petition=petition, number=3, title=petition.title, ask="Elsewhere.")
    assert Signature.objects.get(pk=sign(petition, "third@example.org").signature.pk).version.number == 2
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert Signature.objects.get(pk=sign(petition, "fourth@example.org").signature.pk).version.number == 3


def test_a_petition_without_versions_gets_version_one_with_its_first_signature_even_when_cached(
    settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    petition = make_petition()
    PetitionVersion.objects.filter(petition=petition).delete()  # as petitions made before versions were kept
    with django_capture_on_commit_callbacks(execute=True):
        first = sign(petition, "first@example.org").signature
    second = sign(petition, "second@example.org").signature
    assert Signature.objects.get(pk=first.pk).version.number == Signature.objects.get(pk=second.pk).version.number == 1
    assert PetitionVersion.objects.filter(petition=petition).count() == 1
