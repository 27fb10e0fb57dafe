"""Retention jobs, run with the clock moved forward: they erase exactly what docs/privacy.md says,
and every count stays the same."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from groundswell.composition.tasks import run_maintenance
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Signature
from groundswell.petitions.queries import count_signatures, count_signatures_by_area
from tests.factories import make_petition, make_signature

pytestmark = pytest.mark.django_db


def _sign(petition, email, *, confirm=True, flagged_reason=""):
    return make_signature(
        petition, email, confirmed=confirm, name="Private Person", consent_text="The words shown.",
        constituency_code="E14000001", ip_address="198.51.100.23", ip_network="198.51.100.0/24", flagged_reason=flagged_reason,
    )


def test_ip_addresses_go_after_30_days_and_personal_data_183_days_after_close(settings):
    start = timezone.now()
    petition = make_petition(closes_on=timezone.localdate() + timedelta(days=40))
    kept = _sign(petition, "kept@example.org")
    held_back = _sign(petition, "held@example.org", flagged_reason="rate_network")
    unconfirmed = _sign(petition, "never@example.org", confirm=False)
    counts = (count_signatures(petition), list(count_signatures_by_area(petition)))
    assert counts[0] == 1

    with time_machine.travel(start + timedelta(days=13)):
        result = run_maintenance.call()
        assert result["ip_addresses_erased"] == 0 and result["expired_signatures_deleted"] == 0

    with time_machine.travel(start + timedelta(days=15)):
        assert run_maintenance.call()["expired_signatures_deleted"] == 1
    assert not Signature.objects.filter(pk=unconfirmed.pk).exists()

    with time_machine.travel(start + timedelta(days=31)):
        assert run_maintenance.call()["ip_addresses_erased"] == 2
    for signature in (kept, held_back):
        signature.refresh_from_db()
        assert (signature.ip_address, signature.ip_network) == (None, "")
        assert signature.name == "Private Person"  # personal data stays until after close
    assert (count_signatures(petition), list(count_signatures_by_area(petition))) == counts

    with time_machine.travel(start + timedelta(days=40 + 182)):
        assert run_maintenance.call()["signatures_anonymised"] == 0
    with time_machine.travel(start + timedelta(days=40 + 185)):
        assert run_maintenance.call()["signatures_anonymised"] == 2
    kept.refresh_from_db()
    assert (kept.name, kept.email, kept.postcode, kept.email_domain, kept.ip_address) == ("", "", "", "", None)
    assert kept.email_normalised.startswith("anonymised:")
    assert (str(kept.country), kept.constituency_code) == ("GB", "E14000001")
    assert kept.consent.text == "The words shown."  # the consent record stays with what it covers
    assert (count_signatures(petition), list(count_signatures_by_area(petition))) == counts


def test_anonymisation_also_erases_ip_addresses_still_held():
    petition = make_petition(closes_on=timezone.localdate())
    signature = _sign(petition, "recent@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=200)):
        petition_actions.anonymise_signatures_of_closed_petitions()
    signature.refresh_from_db()
    assert signature.ip_address is None and signature.ip_network == ""
