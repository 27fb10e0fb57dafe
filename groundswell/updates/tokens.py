"""Unsubscribe links (core/signed_links.py): a delivery's random id, signed. Nothing in the link
says who it was sent to; the delivery row knows, and only our database can read it. Unsubscribe
links must keep working for as long as someone may open an old email, so they last ten years."""

from datetime import timedelta
from uuid import UUID

from groundswell.core.signed_links import LinkPurpose

UNSUBSCRIBE_LINK = LinkPurpose(salt="groundswell.updates.unsubscribe", max_age=lambda: timedelta(days=3650))

# The id in the links of previews and test emails: a real-looking link that unsubscribes nobody.
PREVIEW_ID = UUID(int=0)
