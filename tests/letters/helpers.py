"""Letter-writing actions for tests, on the small geography pack (tests/geography/packs.py)."""

import itertools

from groundswell.ledger.models import Target
from groundswell.letters.models import LetterAction
from tests.factories import make_campaign

_seq = itertools.count(1)

SUGGESTED = (
    "I am writing to ask you to press the government to end police-led responses to people in mental "
    "health crisis. When someone is in crisis they need care from trained health workers, not handcuffs "
    "and a cell. Street triage schemes and crisis cafes work, and they cost less. Please ask the Health "
    "Secretary to fund crisis care teams in every area, and tell me what you will do."
)
PERSONAL_SHORT = "I live in Guildford and care a lot about this."


def make_action(campaign=None, *, to_mp=True, target=None, **fields):
    n = next(_seq)
    campaign = campaign or make_campaign()
    defaults = {
        "slug": f"letter-{n}",
        "title": f"Write to your MP {n}",
        "recipient_kind": LetterAction.RecipientKind.MP if to_mp else LetterAction.RecipientKind.TARGET,
        "target": target,
        "subject": "Care, not police, for people in crisis",
        "suggested_text": SUGGESTED,
        "guidance": "Say why it matters to you.",
    }
    defaults.update(fields)
    return LetterAction.objects.create(campaign=campaign, **defaults)


def make_target(organisation, *, email="enquiries@trust.nhs.example", name="Surrey NHS Trust"):
    return Target.objects.create(organisation=organisation, name=name, kind=Target.Kind.NHS_BODY, contact_email=email)


def personal_paragraph(n: int) -> str:
    """A distinct, long personal paragraph (so the letter is not near-identical to any other)."""
    words = [f"word{n}x{i}" for i in range(60)]
    return "My own story number " + str(n) + ": " + " ".join(words) + "."
