"""Confirmation links.

A link carries the signature's random public id, signed with the site's secret key and stamped
with the time it was made, so it needs no storage, cannot be forged or guessed, and expires after
SIGNATURE_CONFIRMATION_DAYS. Following it only shows a page; confirming takes a POST, so mail
scanners that fetch every link neither confirm a signature nor use the link up.
"""

from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.core import signing

_SALT = "groundswell.petitions.confirm-signature"


class InvalidToken(Exception):
    pass


class ExpiredToken(InvalidToken):
    pass


def make_confirmation_token(public_id: UUID) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(public_id.hex)


def read_confirmation_token(token: str) -> UUID:
    max_age = timedelta(days=settings.SIGNATURE_CONFIRMATION_DAYS)
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=max_age)
        return UUID(hex=value)
    except signing.SignatureExpired:
        raise ExpiredToken from None
    except (signing.BadSignature, ValueError):
        raise InvalidToken from None
