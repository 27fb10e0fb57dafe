"""What the API app registers with the shared apps below it (called from ApiConfig.ready())."""

from groundswell.accounts.queries import owner_addresses
from groundswell.api.models import Tagging
from groundswell.supporters import personal_data
from groundswell.webhooks import events


def _taggings_held_about(email_normalised: str) -> list[dict]:
    return [
        {"organisation": t.tag.organisation.name, "tag": t.tag.name, "tagged_at": t.created_at.isoformat()}
        for t in Tagging.objects.filter(email_normalised=email_normalised).select_related("tag__organisation")
    ]


def _addresses_with_taggings(emails_normalised: set[str]) -> set[str]:
    return set(Tagging.objects.filter(email_normalised__in=emails_normalised).values_list("email_normalised", flat=True).distinct())


def _erase_taggings(email_normalised: str) -> int:
    deleted, _ = Tagging.objects.filter(email_normalised=email_normalised).delete()
    return deleted


events.set_owner_addresses(owner_addresses)
personal_data.register(personal_data.Source(
    name="tags", held_about=_taggings_held_about, erase=_erase_taggings, holders=_addresses_with_taggings
))
