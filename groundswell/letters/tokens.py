"""Signed links in letter emails (core/signed_links.py): confirm a letter, answer the follow-up."""

from datetime import timedelta
from uuid import UUID

from django.conf import settings

from groundswell.core import signed_links
from groundswell.core.signed_links import ExpiredToken, InvalidToken

__all__ = ["CONFIRM", "FOLLOWUP", "ExpiredToken", "InvalidToken", "make_token", "read_token"]

CONFIRM = "groundswell.letters.confirm"
FOLLOWUP = "groundswell.letters.followup"


def make_token(public_id: UUID, *, purpose: str) -> str:
    return signed_links.make_token(public_id, purpose=purpose)


def read_token(token: str, *, purpose: str) -> UUID:
    if purpose == CONFIRM:
        max_age = timedelta(days=settings.LETTERS_CONFIRMATION_DAYS)
    else:  # the follow-up and its reminder, with a week to spare
        max_age = timedelta(days=settings.LETTERS_FOLLOWUP_REMINDER_DAYS + 14)
    return signed_links.read_token(token, purpose=purpose, max_age=max_age)
