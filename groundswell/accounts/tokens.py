"""The signed links accounts emails (core/signed_links.py): the invitation to join a team."""

from datetime import timedelta

from django.conf import settings

from groundswell.core.signed_links import LinkPurpose

INVITATION_LINK = LinkPurpose("groundswell.accounts.invitation", lambda: timedelta(days=settings.TEAM_INVITATION_DAYS))
