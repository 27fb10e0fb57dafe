"""Ledger rows for tests, saved the way the actions save them (with a history user)."""

import os
from datetime import date
from pathlib import Path

from groundswell.ledger.models import Ask, Commitment, Response, Target


# The UK geography pack next to the repository (../shared/data/uk-geography), or where
# GROUNDSWELL_GEOGRAPHY_PACK points; tests that need it skip when it is absent.
GEOGRAPHY_PACK = Path(
    os.environ.get("GROUNDSWELL_GEOGRAPHY_PACK") or Path(__file__).resolve().parents[3] / "shared" / "data" / "uk-geography"
)


def _save(instance, user=None):
    instance._history_user = user
    instance.save()
    return instance


def make_target(organisation, name="Surrey Police", **fields):
    fields.setdefault("kind", Target.Kind.POLICE_FORCE)
    return _save(Target(organisation=organisation, name=name, **fields))


def make_ask(campaign, target, asked_on=date(2024, 1, 10), text="Please end police-led crisis care.", **fields):
    return _save(Ask(campaign=campaign, target=target, asked_on=asked_on, text=text, **fields))


def make_response(ask, received_on=date(2024, 2, 1), classification=Response.Classification.COMMITTED, **fields):
    fields.setdefault("summary", "They said they would review it.")
    fields.setdefault("source_url", "https://news.example.org/review")
    return _save(Response(ask=ask, received_on=received_on, classification=classification, **fields))


def make_commitment(response, promise="Review the scheme.", due_on=date(2024, 6, 30), **fields):
    return _save(Commitment(response=response, promise=promise, due_on=due_on, **fields))
