"""The demo's letter-writing action: "Write to your MP" on the demo campaign (idempotent)."""

from groundswell.campaigns.models import Campaign
from groundswell.letters.models import LetterAction

DEMO_SLUG = "write-to-your-mp-about-crisis-care"


def load_demo_letters(*, campaign_slug: str) -> None:
    campaign = Campaign.objects.filter(slug=campaign_slug).first()
    if campaign is None or LetterAction.objects.filter(slug=DEMO_SLUG).exists():
        return
    LetterAction.objects.create(
        campaign=campaign,
        slug=DEMO_SLUG,
        title="Write to your MP about crisis care",
        recipient_kind=LetterAction.RecipientKind.MP,
        subject="Care, not police, for people in mental health crisis",
        suggested_text=(
            "I am writing to ask you to press the government to end police-led responses to people in "
            "mental health crisis. People in crisis need care from trained health workers, not a police "
            "cell. Crisis teams, street triage and crisis cafes work, and cost less. Please ask the Health "
            "Secretary to fund crisis care in every area, and tell me what you will do."
        ),
        guidance=(
            "MPs read letters from constituents, especially ones in their own words. Say who you are and "
            "why this matters to you. Keep it short and polite, and ask one clear question."
        ),
    )
