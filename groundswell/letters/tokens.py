"""Signed links in letter emails: confirm a letter, answer the follow-up.

The same scheme as petitions/tokens.py: the letter's random public id, signed with the site's key
and a purpose-specific salt, stamped with the time; nothing stored, nothing guessable. Following
a link shows a page; only its button (a POST) acts, so mail scanners change nothing.
"""

from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.core import signing

from groundswell.petitions.tokens import ExpiredToken, InvalidToken  # noqa: F401  (one pair of errors)

CONFIRM = "groundswell.letters.confirm"
FOLLOWUP = "groundswell.letters.followup"


def make_token(public_id: UUID, *, purpose: str) -> str:
    return signing.TimestampSigner(salt=purpose).sign(public_id.hex)


def read_token(token: str, *, purpose: str) -> UUID:
    if purpose == CONFIRM:
        max_age = timedelta(days=settings.LETTERS_CONFIRMATION_DAYS)
    else:  # the follow-up and its reminder, with a week to spare
        max_age = timedelta(days=settings.LETTERS_FOLLOWUP_REMINDER_DAYS + 14)
    try:
        return UUID(hex=signing.TimestampSigner(salt=purpose).unsign(token, max_age=max_age))
    except signing.SignatureExpired:
        raise ExpiredToken from None
    except (signing.BadSignature, ValueError):
        raise InvalidToken from None
