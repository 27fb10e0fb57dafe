"""The ledger's reads take a fixed number of queries however big the ledger grows."""

from datetime import date

import pytest

from groundswell.ledger import queries
from tests.factories import make_ask, make_campaign, make_commitment, make_organisation, make_response, make_target

pytestmark = pytest.mark.django_db


def _fill(organisation, campaign, targets):
    for n in range(targets):
        target = make_target(organisation, name=f"Target {n}")
        ask = make_ask(campaign, target)
        commitment = make_commitment(make_response(ask))
        commitment.status = "kept"
        commitment.evidence = "Done."
        commitment._history_user = None
        commitment.save()


@pytest.mark.parametrize("targets", [2, 12])
def test_the_scoreboard_and_history_do_not_grow_in_queries(targets, django_assert_num_queries):
    organisation = make_organisation()
    campaign = make_campaign(organisation)
    _fill(organisation, campaign, targets)
    with django_assert_num_queries(5):  # asks, responses, commitments, follow-ups, institutions' replies
        records = queries.campaign_ledger(campaign, today=date(2025, 1, 1))
        for record in records:
            record.timeline()
            record.commitment_counts
            record.figures
    assert len(records) == targets
    with django_assert_num_queries(5):  # 4 models, plus the earlier versions of the one model with changes
        history = queries.change_history(organisation_ids=[organisation.pk])
    assert sum(1 for entry in history if entry["action"] == "changed") == targets
    assert all(entry["changes"] for entry in history if entry["action"] == "changed")
