"""Links to a supporter's own data: signed with the site's secret, expiring, needing no storage.

The link carries the normalised email address (signed, so it cannot be changed or forged); it
stops working after SUPPORTER_DATA_LINK_HOURS. Whoever holds the link can see and delete the
data, which is why it is only ever sent to that mailbox.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing

_SALT = "groundswell.supporters.my-data"


class InvalidDataLink(Exception):
    pass


def make_data_token(email_normalised: str) -> str:
    return signing.dumps({"e": email_normalised}, salt=_SALT, compress=True)


def read_data_token(token: str) -> str:
    try:
        data = signing.loads(token, salt=_SALT, max_age=timedelta(hours=settings.SUPPORTER_DATA_LINK_HOURS))
        return data["e"]
    except (signing.BadSignature, KeyError, TypeError):
        raise InvalidDataLink from None
