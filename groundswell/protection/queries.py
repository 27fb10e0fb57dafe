"""Reads the checks on every signature make: the organisation's rate limits."""

from groundswell.core.pagecache import briefly_cached
from groundswell.protection.models import RateLimits


def rate_limits_key(organisation_id: int) -> str:
    return f"rate-limits:{organisation_id}"


def rate_limits_for(petition) -> RateLimits:
    """The petition's organisation's limits (defaults until a moderator changes them). Read on
    every signature, so briefly cached; saving new limits forgets them."""
    organisation_id = petition.campaign.organisation_id

    def read():
        limits = RateLimits.objects.filter(organisation_id=organisation_id).first()
        return limits or RateLimits(organisation_id=organisation_id)

    return briefly_cached(key=rate_limits_key(organisation_id), build=read)
