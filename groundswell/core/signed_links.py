"""Links in emails that prove who they were sent to: signed, timestamped, expiring.

A link carries a record's random public id, signed with the site's secret key and a salt naming
its purpose (so a confirmation link cannot be used as a follow-up answer), and stamped with the
time it was made. Nothing is stored, nothing can be guessed or forged, and it expires. Following a
link only ever shows a page; acting takes that page's button (a POST), so mail scanners that fetch
every link change nothing. Petitions' confirmations and letters' confirmations and follow-ups use it.
"""

from datetime import timedelta
from uuid import UUID

from django.core import signing


class InvalidToken(Exception):
    pass


class ExpiredToken(InvalidToken):
    pass


def make_token(public_id: UUID, *, purpose: str) -> str:
    return signing.TimestampSigner(salt=purpose).sign(public_id.hex)


def read_token(token: str, *, purpose: str, max_age: timedelta) -> UUID:
    try:
        return UUID(hex=signing.TimestampSigner(salt=purpose).unsign(token, max_age=max_age))
    except signing.SignatureExpired:
        raise ExpiredToken from None
    except (signing.BadSignature, ValueError):
        raise InvalidToken from None
