"""Signature confirmation links (core/signed_links.py), valid for SIGNATURE_CONFIRMATION_DAYS."""

from datetime import timedelta
from uuid import UUID

from django.conf import settings

from groundswell.core.signed_links import ExpiredToken, InvalidToken, make_token, read_token

__all__ = ["ExpiredToken", "InvalidToken", "make_confirmation_token", "read_confirmation_token"]

_PURPOSE = "groundswell.petitions.confirm-signature"


def make_confirmation_token(public_id: UUID) -> str:
    return make_token(public_id, purpose=_PURPOSE)


def read_confirmation_token(token: str) -> UUID:
    return read_token(token, purpose=_PURPOSE, max_age=timedelta(days=settings.SIGNATURE_CONFIRMATION_DAYS))
