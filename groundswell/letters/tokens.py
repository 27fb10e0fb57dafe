"""Signed links in letter emails (core/signed_links.py): confirm a letter, answer the follow-up."""

from datetime import timedelta

from django.conf import settings

from groundswell.core.signed_links import LinkPurpose

CONFIRMATION_LINK = LinkPurpose(salt="groundswell.letters.confirm", max_age=lambda: timedelta(days=settings.LETTERS_CONFIRMATION_DAYS))
# The follow-up and its reminder, with two weeks to spare.
FOLLOWUP_LINK = LinkPurpose(
    salt="groundswell.letters.followup", max_age=lambda: timedelta(days=settings.LETTERS_FOLLOWUP_REMINDER_DAYS + 14)
)
