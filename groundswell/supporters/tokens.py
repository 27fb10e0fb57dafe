"""Links to a supporter's own data (core/signed_links.py): a DataLink's random id, signed and
expiring after SUPPORTER_DATA_LINK_HOURS. The address is never in the link: it stays in the
DataLink row, which housekeeping deletes once the link has expired. Whoever holds the link can
see and delete the data, which is why it is only ever sent to that mailbox."""

from datetime import timedelta

from django.conf import settings

from groundswell.core.signed_links import InvalidToken, LinkPurpose
from groundswell.supporters.models import DataLink

DATA_LINK = LinkPurpose(salt="groundswell.supporters.my-data", max_age=lambda: timedelta(hours=settings.SUPPORTER_DATA_LINK_HOURS))


class InvalidDataLink(Exception):
    pass


def make_data_token(link: DataLink) -> str:
    return DATA_LINK.make(link.public_id)


def read_data_token(token: str) -> str:
    """The normalised address the link was sent to; InvalidDataLink if it is forged or expired."""
    try:
        public_id = DATA_LINK.read(token)
    except InvalidToken:
        raise InvalidDataLink from None
    link = DataLink.objects.filter(public_id=public_id).only("email_normalised").first()
    if link is None:
        raise InvalidDataLink
    return link.email_normalised
