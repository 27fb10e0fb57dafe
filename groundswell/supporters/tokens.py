"""Links to a supporter's own data (core/signed_links.py): a DataLink's random id, signed and
expiring after SUPPORTER_DATA_LINK_HOURS. The address is never in the link: it stays in the
DataLink row, which housekeeping deletes once the link has expired. Whoever holds the link can
see and delete the data, which is why it is only ever sent to that mailbox."""

from datetime import timedelta

from django.conf import settings

from groundswell.core.signed_links import InvalidToken, make_token, read_token
from groundswell.supporters.models import DataLink

_PURPOSE = "groundswell.supporters.my-data"


class InvalidDataLink(Exception):
    pass


def _valid_for() -> timedelta:
    return timedelta(hours=settings.SUPPORTER_DATA_LINK_HOURS)


def make_data_token(link: DataLink) -> str:
    return make_token(link.public_id, purpose=_PURPOSE)


def read_data_token(token: str) -> str:
    """The normalised address the link was sent to; InvalidDataLink if it is forged or expired."""
    try:
        public_id = read_token(token, purpose=_PURPOSE, max_age=_valid_for())
    except InvalidToken:
        raise InvalidDataLink from None
    link = DataLink.objects.filter(public_id=public_id).only("email_normalised").first()
    if link is None:
        raise InvalidDataLink
    return link.email_normalised
