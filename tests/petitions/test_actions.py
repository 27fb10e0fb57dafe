from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from groundswell.petitions import actions
from groundswell.petitions.errors import PetitionNotOpen
from groundswell.petitions.models import Petition, Signature, SignatureCount
from groundswell.petitions.queries import count_signatures, count_signatures_by_area
from tests.factories import make_petition, sign
from tests.support.concurrency import run_at_once

pytestmark = pytest.mark.django_db


def test_signing_records_an_unconfirmed_signature_that_does_not_count():
    petition = make_petition()
    result = sign(petition)
    assert result.is_new
    assert result.signature.confirmed_at is None
    assert result.signature.consent.text.startswith("Record my signature")
    assert count_signatures(petition) == 0


def test_confirming_counts_once_however_often_it_is_done():
    petition = make_petition()
    signature = sign(petition).signature
    assert actions.confirm_signature(signature=signature) is True
    assert actions.confirm_signature(signature=signature) is False
    assert count_signatures(petition) == 1


@pytest.mark.parametrize("returning", [True, False], ids=["update-returning", "older-sqlite"])
def test_confirming_counts_in_the_signatures_area_lifts_only_timing_flags_and_holds_back_the_rest(returning, monkeypatch):
    """confirm_signature reads the area and the flag from its one UPDATE (RETURNING), or, on an
    SQLite without RETURNING, from the ORM: the same counts either way, as a recount makes them."""
    from django.db import connection

    from groundswell.petitions.models import Channel

    petition = make_petition()
    plain = sign(petition, email="plain@example.org", constituency_code="E14000001").signature
    abroad = sign(petition, email="abroad@example.org", country="IE", postcode="").signature
    too_fast = sign(petition, email="fast@example.org", flagged_reason="too_fast").signature
    flooded = sign(petition, email="flood@example.org", flagged_reason="rate_network").signature
    if not returning:
        # Only around confirming: on PostgreSQL Django's own inserts need the feature (no lastrowid).
        monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    for signature in (plain, abroad, too_fast, flooded):
        assert actions.confirm_signature(signature=signature) is True
        assert actions.confirm_signature(signature=signature) is False
    monkeypatch.undo()  # the rest reads back as usual
    rows = {s.email: (s.confirmed_at is not None, s.flagged_reason, s.flagged_at is None) for s in Signature.objects.all()}
    assert rows == {
        "plain@example.org": (True, "", True), "abroad@example.org": (True, "", True),
        "fast@example.org": (True, "", True), "flood@example.org": (True, "rate_network", False),
    }
    by_area = {(r["country"], r["constituency_code"]): r["signatures"] for r in count_signatures_by_area(petition)}
    assert by_area == {("GB", "E14000001"): 1, ("IE", ""): 1, ("GB", ""): 1}
    assert set(SignatureCount.objects.values_list("channel", flat=True)) == {Channel.ONLINE}
    assert count_signatures(petition) == 3 == actions.recount_petition(petition=petition)


def test_signing_again_with_a_variant_of_the_address_returns_the_same_signature():
    petition = make_petition()
    first = sign(petition, email="Jo.Bloggs@gmail.com").signature
    again = sign(petition, email="jobloggs+petition@googlemail.com")
    assert not again.is_new
    assert again.signature.pk == first.pk
    assert Signature.objects.filter(petition=petition).count() == 1


@pytest.mark.django_db(transaction=True)  # as in a request: no test transaction around it
def test_a_new_signature_is_one_statement_with_no_savepoint_and_a_repeat_queues_its_email_again():
    """Signing is the busiest write: a savepoint around the INSERT cost two round trips more, and
    a transaction around the two INSERTs two more than one statement (outbox.create_and_enqueue)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from groundswell.core.models import OutgoingEmail

    petition = make_petition()
    sign(petition, "first@example.org")  # the consent statement's row is made once, then remembered
    with CaptureQueriesContext(connection) as captured:
        result = sign(petition, "second@example.org")
    assert result.is_new
    assert not [query["sql"] for query in captured.captured_queries if "SAVEPOINT" in query["sql"].upper()]
    if connection.vendor == "postgresql":  # the signature and its email: one statement, no transaction around it
        statements = [query["sql"] for query in captured.captured_queries if not query["sql"].startswith("SELECT")]
        assert [sql[:50] for sql in statements] == ['WITH subject AS (INSERT INTO "petitions_signature"']
    OutgoingEmail.objects.filter(object_id=result.signature.pk).update(state=OutgoingEmail.State.SENT)
    again = sign(petition, "Second@Example.org", language="cy")
    assert (again.is_new, again.signature.pk, again.email_queued) == (False, result.signature.pk, True)
    assert Signature.objects.get(pk=result.signature.pk).language == "cy"
    assert OutgoingEmail.objects.filter(object_id=result.signature.pk, state=OutgoingEmail.State.QUEUED).count() == 1


def test_the_same_person_may_sign_different_petitions():
    a, b = make_petition(), make_petition()
    sign(a)
    sign(b)
    assert Signature.objects.count() == 2


@pytest.mark.parametrize("state", [Petition.State.DRAFT, Petition.State.CLOSED, Petition.State.ARCHIVED])
def test_only_open_petitions_accept_signatures(state):
    petition = make_petition(state=state)
    with pytest.raises(PetitionNotOpen):
        sign(petition)
    assert not Signature.objects.exists()


def test_an_open_petition_past_its_closing_date_accepts_no_signatures():
    today = timezone.localdate()
    petition = make_petition(opens_on=today - timedelta(days=10), closes_on=today - timedelta(days=1))
    with pytest.raises(PetitionNotOpen):
        sign(petition)


def test_counts_by_area_and_recount_agree_with_the_signatures(settings):
    settings.SIGNATURE_COUNT_SHARDS = 4
    petition = make_petition()
    for i in range(10):
        signature = sign(petition, email=f"p{i}@example.org", country="GB" if i < 7 else "IE", postcode="" if i >= 7 else "GU2 7XX").signature
        actions.confirm_signature(signature=signature)
    sign(petition, email="unconfirmed@example.org")
    assert count_signatures(petition) == 10
    by_area = {(r["country"], r["constituency_code"]): r["signatures"] for r in count_signatures_by_area(petition)}
    assert by_area == {("GB", ""): 7, ("IE", ""): 3}
    # Spread over shards, yet a recount rebuilds exactly the same totals in fewer rows.
    SignatureCount.objects.filter(petition=petition).update(count=0)
    assert count_signatures(petition) == 0
    assert actions.recount_petition(petition=petition) == 10
    assert count_signatures(petition) == 10


def test_unconfirmed_signatures_are_purged_after_the_confirmation_period(settings):
    settings.SIGNATURE_CONFIRMATION_DAYS = 14
    petition = make_petition()
    stale = sign(petition, email="stale@example.org").signature
    confirmed = sign(petition, email="kept@example.org").signature
    actions.confirm_signature(signature=confirmed)
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        assert actions.purge_expired_signatures() == 0
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        fresh = sign(petition, email="fresh@example.org").signature
        assert actions.purge_expired_signatures() == 1
    assert not Signature.objects.filter(pk=stale.pk).exists()
    assert Signature.objects.filter(pk__in=[confirmed.pk, fresh.pk]).count() == 2
    assert count_signatures(petition) == 1


@pytest.mark.django_db(transaction=True)
def test_duplicate_signatures_submitted_at_the_same_moment_make_one_row():
    """Real threads, each with its own database connection, racing to sign with one address."""
    petition = make_petition()
    results = run_at_once(lambda i: sign(petition, email=f"Same.Person+{i}@gmail.com"), args=[(i,) for i in range(8)])
    assert len(results) == 8
    assert sum(r.is_new for r in results) == 1
    assert Signature.objects.filter(petition=petition).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_of_one_signature_count_it_once():
    petition = make_petition()
    signature = sign(petition).signature
    outcomes = run_at_once(lambda: actions.confirm_signature(signature=Signature.objects.get(pk=signature.pk)), n=6)
    assert sorted(outcomes) == [False] * 5 + [True]
    assert count_signatures(petition) == 1


@pytest.mark.django_db(transaction=True)
def test_many_different_signers_confirming_at_once_are_all_counted(settings):
    settings.SIGNATURE_COUNT_SHARDS = 2  # force collisions on shard rows
    petition = make_petition()
    signatures = [sign(petition, email=f"s{i}@example.org").signature for i in range(20)]

    def confirm(batch):
        for s in batch:
            actions.confirm_signature(signature=s)

    run_at_once(confirm, args=[(signatures[i::10],) for i in range(10)])
    assert count_signatures(petition) == 20


def test_signers_personal_data_is_erased_after_the_retention_period_and_counts_stay(settings):
    settings.SIGNER_DATA_RETENTION_DAYS_AFTER_CLOSE = 183
    today = timezone.localdate()
    closing = make_petition(closes_on=today + timedelta(days=5))
    running = make_petition(closes_on=today + timedelta(days=400))
    for petition in (closing, running):
        for i in range(3):
            actions.confirm_signature(signature=sign(petition, email=f"p{i}@example.org", name=f"Person {i}").signature)
    by_area_before = list(count_signatures_by_area(closing))

    with time_machine.travel(timezone.now() + timedelta(days=5 + 180)):
        assert actions.anonymise_signatures_of_closed_petitions() == 0
    with time_machine.travel(timezone.now() + timedelta(days=5 + 185)):
        assert actions.anonymise_signatures_of_closed_petitions() == 3
        assert actions.anonymise_signatures_of_closed_petitions() == 0  # idempotent

    erased = Signature.objects.filter(petition=closing)
    assert all(s.name == "" and s.email == "" and s.postcode == "" and s.anonymised_at for s in erased)
    assert len({s.email_normalised for s in erased}) == 3
    assert Signature.objects.filter(petition=running, anonymised_at__isnull=True).count() == 3
    assert count_signatures(closing) == 3
    assert list(count_signatures_by_area(closing)) == by_area_before
    assert actions.recount_petition(petition=closing) == 3  # still derivable from the rows
