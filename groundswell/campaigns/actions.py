from django.db import transaction

from groundswell.campaigns.models import Campaign


@transaction.atomic
def save_campaign(*, form) -> Campaign:
    """Save a validated CampaignForm (new or edited)."""
    return form.save()
