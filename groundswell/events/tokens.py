"""Signed links in event emails (core/signed_links.py): confirm an RSVP, and change or cancel it.

Each carries only the RSVP's random public id; no name or address can be read from it."""

from datetime import timedelta

from django.conf import settings

from groundswell.core.signed_links import LinkPurpose

CONFIRMATION_LINK = LinkPurpose(salt="groundswell.events.confirm", max_age=lambda: timedelta(days=settings.EVENTS_CONFIRMATION_DAYS))
# In the confirmation, the reminder and every later email; an event rarely is more than a year off.
MANAGE_LINK = LinkPurpose(salt="groundswell.events.manage", max_age=lambda: timedelta(days=400))
