"""The one way emailed links prove who they were sent to: signed, timestamped, expiring.

A link carries a record's random public id, never an address or a name, signed with the site's
secret key and a salt naming its purpose (so a confirmation link cannot be used as a follow-up
answer), and stamped with the time it was made. Nothing is stored, nothing can be guessed or
forged, and it expires. Following a link only ever shows a page; acting takes that page's button
(a POST), so mail scanners that fetch every link change nothing.

Each app declares its purposes as `LinkPurpose`s in its tokens.py (petitions: confirming a
signature; letters: confirming a letter, answering the follow-up; supporters: the data link) and
uses them the same way: `PURPOSE.make(public_id)` and `PURPOSE.read(token)`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.core import signing


class InvalidToken(Exception):
    pass


class ExpiredToken(InvalidToken):
    pass


@dataclass(frozen=True)
class LinkPurpose:
    salt: str
    max_age: Callable[[], timedelta]  # read when a link is checked, so a changed setting applies

    def make(self, public_id: UUID) -> str:
        return signing.TimestampSigner(salt=self.salt).sign(public_id.hex)

    def read(self, token: str) -> UUID:
        """The public id the link was made for; ExpiredToken or InvalidToken otherwise."""
        try:
            return UUID(hex=signing.TimestampSigner(salt=self.salt).unsign(token, max_age=self.max_age()))
        except signing.SignatureExpired:
            raise ExpiredToken from None
        except (signing.BadSignature, ValueError):
            raise InvalidToken from None
