"""The signature confirmation link (core/signed_links.py), valid for SIGNATURE_CONFIRMATION_DAYS."""

from datetime import timedelta

from django.conf import settings

from groundswell.core.signed_links import LinkPurpose

CONFIRMATION_LINK = LinkPurpose(
    salt="groundswell.petitions.confirm-signature", max_age=lambda: timedelta(days=settings.SIGNATURE_CONFIRMATION_DAYS)
)
