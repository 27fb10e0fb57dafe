"""Thresholds with consequences: reaching one creates the ask on the ledger exactly once (even when
confirmations cross it at the same instant), tells the organisers and, if chosen, opted-in signers.
Paper and assisted signatures count towards it."""

import pytest

from groundswell.core.models import OutgoingEmail
from groundswell.handin import actions, emails
from groundswell.handin.models import Crossing, Threshold
from groundswell.ledger.models import Ask, Channel
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.forms import updates_wording
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition, make_signature, make_target, sign
from tests.support.concurrency import run_at_once
from tests.support.queue import run_queued_tasks


def _world(threshold_at, notify_signers=False):
    organisation = make_organisation("Crisis Care Coalition")
    organiser = make_organiser(organisation, email="jo@example.org")
    petition = make_petition(make_campaign(organisation), title="Care, not cells")
    target = make_target(organisation, "NHS England", kind="nhs_body")
    threshold = Threshold.objects.create(
        petition=petition, target=target, signatures=threshold_at, notify_signers=notify_signers,
        ask_text="We hand it to NHS England and ask for a response within 20 working days.", response_working_days=20,
    )
    return organisation, organiser, petition, target, threshold


@pytest.mark.django_db
def test_paper_and_assisted_signatures_count_and_reaching_it_puts_the_ask_on_the_ledger_once(django_capture_on_commit_callbacks, smtp_server):
    organisation, organiser, petition, target, threshold = _world(5, notify_signers=True)
    with django_capture_on_commit_callbacks(execute=True):
        make_signature(petition, "news@example.org", updates_text=updates_wording(petition))
        make_signature(petition, "quiet@example.org")
        sheet = petition_actions.print_sheet(petition=petition, user=organiser, consent_text="words")
        petition_actions.enter_sheet_details(sheet=sheet, user=organiser, total=2, collected_by="A", collected_where="B", collected_on=None)
    assert not Ask.objects.exists()  # 4
    with django_capture_on_commit_callbacks(execute=True):
        petition_actions.sign_assisted(
            petition=petition, volunteer=organiser, name="Pat", email="", postcode="", country="GB", constituency_code="", consent_text="w",
        )
    ask = Ask.objects.get()
    assert (ask.target, ask.campaign, ask.channel) == (target, petition.campaign, Channel.PETITION)
    assert "reached 5 signatures" in ask.text and "within 20 working days" in ask.text
    assert Crossing.objects.get().count == 5 and Threshold.objects.get().reached_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        make_signature(petition, "more@example.org")
    assert actions.check_all_thresholds() == 0
    assert Ask.objects.count() == 1

    kinds = sorted(OutgoingEmail.objects.values_list("kind", flat=True))
    assert kinds.count(emails.REACHED_ORGANISERS) == 1 and kinds.count(emails.REACHED_SIGNERS) == 1
    run_queued_tasks()
    mails = {m.envelope_to[0]: m for m in smtp_server.wait_for(3 + 2) if "reached" in m.subject}
    assert set(mails) == {"jo@example.org", "news@example.org"}
    assert "/hand-in/" in mails["jo@example.org"].text


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_crossing_it_create_the_ask_exactly_once():
    organisation, organiser, petition, target, threshold = _world(5)
    for i in range(3):
        make_signature(petition, f"early{i}@example.org")
    racing = [sign(petition, f"racer{i}@example.org").signature for i in range(4)]
    run_at_once(lambda signature: petition_actions.confirm_signature(signature=signature), args=[(s,) for s in racing])
    assert Ask.objects.count() == 1 and Crossing.objects.count() == 1
    assert OutgoingEmail.objects.filter(kind=emails.REACHED_ORGANISERS).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_checks_at_once_of_a_passed_threshold_reach_it_once():
    organisation, organiser, petition, target, threshold = _world(2)
    for i in range(2):
        sign_result = sign(petition, f"s{i}@example.org").signature
        # Confirmed without the hook having run (as if a listener failed): counts are there.
        petition_actions.confirm_signature(signature=sign_result)
    Crossing.objects.all().delete()
    Ask.objects.all().delete()
    Threshold.objects.filter(pk=threshold.pk).update(reached_at=None)
    results = run_at_once(lambda: len(actions.check_thresholds(petition.pk)), n=4)
    assert sorted(results) == [0, 0, 0, 1]
    assert Ask.objects.count() == 1


@pytest.mark.django_db
def test_a_second_crossing_of_one_threshold_cannot_be_stored(django_capture_on_commit_callbacks):
    from django.db import IntegrityError, transaction

    organisation, organiser, petition, target, threshold = _world(1)
    with django_capture_on_commit_callbacks(execute=True):
        make_signature(petition, "a@example.org")
    crossing = Crossing.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Crossing.objects.create(threshold=threshold, ask=Ask.objects.create(campaign=petition.campaign, target=target), count=1)
    assert Crossing.objects.get() == crossing


@pytest.mark.django_db
def test_organisers_add_thresholds_for_their_own_targets_with_clear_messages(client):
    organisation, organiser, petition, target, threshold = _world(10_000)
    client.force_login(organiser)
    url = f"/organise/petitions/{petition.pk}/thresholds/"
    assert "NHS England" in client.get(url).content.decode()
    response = client.post(url, {"signatures": "0", "target": target.pk, "ask_text": "x"})
    assert response.status_code == 400 and "Enter a number above zero" in response.content.decode()
    response = client.post(url, {"signatures": "10000", "target": target.pk, "ask_text": "again"})
    assert response.status_code == 400 and "already has that threshold" in response.content.decode()
    theirs = make_target(make_organisation(), "Someone else's")
    response = client.post(url, {"signatures": "500", "target": theirs.pk, "ask_text": "x"})
    assert response.status_code == 400 and "Choose a target from the list" in response.content.decode()
    response = client.post(url, {"signatures": "500", "target": target.pk, "ask_text": "We hand it in at 500."})
    assert response.status_code == 302 and Threshold.objects.count() == 2


@pytest.mark.django_db
def test_the_after_confirmation_check_is_cached_briefly_and_a_new_threshold_takes_effect_at_once(
    client, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Most petitions have no threshold: the check after each confirmation asks a brief cache
    (handin.queries.has_pending_thresholds). An organiser adding one forgets it, so the next
    confirmation in this process reaches it; one added elsewhere is seen within
    PUBLIC_PAGE_CACHE_SECONDS; and reaching the last one forgets it too."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    organisation, organiser, petition, target, threshold = _world(1)
    Threshold.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        make_signature(petition, "a@example.org")  # no threshold: remembered
    with django_assert_num_queries(0):
        assert actions.check_thresholds_after_count_went_up(petition.pk) == []

    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/organise/petitions/{petition.pk}/thresholds/", {"signatures": "3", "target": target.pk, "ask_text": "At 3."})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        make_signature(petition, "b@example.org")
    assert not Ask.objects.exists()  # 2 of 3: checked, not reached
    with django_capture_on_commit_callbacks(execute=True):
        make_signature(petition, "c@example.org")
    assert Ask.objects.count() == 1  # reached at once in the process that added it
    with django_assert_num_queries(1):  # reaching the last one forgot the cached answer
        assert actions.check_thresholds_after_count_went_up(petition.pk) == []
    with django_assert_num_queries(0):
        assert actions.check_thresholds_after_count_went_up(petition.pk) == []

    # Added by another process (this one does not forget): seen once the cached answer is old.
    Threshold.objects.create(petition=petition, target=target, signatures=4, ask_text="At 4.")
    with django_capture_on_commit_callbacks(execute=True):
        make_signature(petition, "d@example.org")
    assert Ask.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        with django_capture_on_commit_callbacks(execute=True):
            make_signature(petition, "e@example.org")
    assert Ask.objects.count() == 2
    assert actions.check_all_thresholds() == 0  # housekeeping is never gated, and finds nothing left
