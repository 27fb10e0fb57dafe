"""The demo shows the feature: a paper sheet with entries, a text version change, thresholds."""

import pytest

from groundswell.composition.demo import load_demo_data
from groundswell.handin.models import Crossing, Threshold
from groundswell.petitions import queries
from groundswell.petitions.models import EntryRecord, PaperSheet, Petition


@pytest.mark.django_db
def test_the_demo_has_a_paper_sheet_a_version_change_and_a_reached_threshold():
    load_demo_data(signatures=320)
    petition = Petition.objects.get(slug="end-police-led-crisis-care")
    sheet = PaperSheet.objects.get(petition=petition)
    assert sheet.total == 39 and sheet.signatures.count() == 11
    counts = queries.count_by_channel(petition)
    assert counts["paper"] == 39 and counts["assisted"] == 1
    assert EntryRecord.objects.filter(action=EntryRecord.Action.SIGNER_WITHDRAWN).exists()
    assert petition.text_version == 2 and "by the end of 2023" in petition.ask
    assert Crossing.objects.get().threshold.signatures == 300
    assert Threshold.objects.filter(petition=petition, reached_at__isnull=True).count() == 1
    load_demo_data(signatures=320)  # again: nothing doubled
    assert PaperSheet.objects.count() == 1 and Crossing.objects.count() == 1
