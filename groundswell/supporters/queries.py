"""What Groundswell holds about one supporter, found by their normalised email address: whatever
each app registered with supporters/personal_data.py holds."""

from django.utils import timezone

from groundswell.supporters import personal_data


def data_held_about(email_normalised: str) -> dict:
    """Everything held about the person, as the page shows it and the JSON download carries it."""
    return {
        "generated_at": timezone.now().isoformat(),
        "email_address_searched_for": email_normalised,
        **personal_data.held_about(email_normalised),
        "note": "Groundswell keeps no account, profile or tracking data about supporters: this is everything.",
    }
