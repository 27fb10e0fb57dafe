"""The demo campaign's ledger, from the public reporting of the 2021–2023 campaign against
police-led crisis care (summarised in issue 5). Labelled on the site as demonstration data based
on news reports. No source links are invented: where we hold no verified link, none is shown.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from groundswell.accounts.models import Organisation
from groundswell.campaigns.models import Campaign
from groundswell.ledger.models import Ask, Channel, Commitment, Response, Target

DEMO_REASON = "Demonstration data based on news reports"
PETITION_LAUNCH = date(2021, 4, 12)  # "spring 2021": the exact day is illustrative
PETITION_ASK = (
    "The petition (launched in spring 2021) asked for an end to police involvement in the care of "
    "people in mental-health crisis, an end to sanctions and the withholding of care, and a review "
    "of the care of everyone placed under such schemes."
)


def _save(instance, user):
    instance._history_user = user
    instance._change_reason = DEMO_REASON
    instance.save()
    return instance


@transaction.atomic
def load_demo_ledger(*, organisation_slug: str, campaign_slug: str, organiser_email: str) -> int:
    """Fill the demo campaign's ledger once; returns how many targets it added (0 if present)."""
    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    campaign = Campaign.objects.filter(slug=campaign_slug, organisation=organisation).first()
    if organisation is None or campaign is None or Target.objects.filter(organisation=organisation).exists():
        return 0
    user = get_user_model().objects.filter(username=organiser_email).first()

    def target(name, kind, code):
        return _save(Target(organisation=organisation, name=name, kind=kind, reference_code=code), user)

    def ask(to):
        return _save(Ask(campaign=campaign, target=to, asked_on=PETITION_LAUNCH, channel=Channel.PETITION, text=PETITION_ASK), user)

    def respond(to_ask, on, classification, summary, channel=Channel.PUBLIC_STATEMENT):
        return _save(Response(ask=to_ask, received_on=on, channel=channel, classification=classification, summary=summary), user)

    def promise(response, text):
        return _save(Commitment(response=response, promise=text), user)

    nhs_england = target("NHS England", Target.Kind.NHS_BODY, "X24")
    surrey_police = target("Surrey Police", Target.Kind.POLICE_FORCE, "E23000031")
    surrey_borders = target("Surrey and Borders Partnership NHS Foundation Trust", Target.Kind.NHS_BODY, "RXX")
    norfolk_suffolk = target("Norfolk and Suffolk NHS Foundation Trust", Target.Kind.NHS_BODY, "RMY")

    for institution in (surrey_police, surrey_borders):
        response = respond(
            ask(institution), date(2021, 5, 6), Response.Classification.PARTLY_COMMITTED,
            f"{institution.name} said it would look at the concerns the campaign raised "
            "(as reported in the press on 6 May 2021).",
        )
        promise(response, "Look at the concerns the campaign raised about police involvement in crisis care.")

    response = respond(
        ask(norfolk_suffolk), date(2021, 5, 6), Response.Classification.PARTLY_COMMITTED,
        "Norfolk and Suffolk NHS Foundation Trust said it would prepare listening events "
        "(as reported in the press on 6 May 2021).",
    )
    promise(response, "Prepare listening events with people who use its services.")

    response = respond(
        ask(nhs_england), date(2023, 3, 15), Response.Classification.COMMITTED,
        "NHS England had not acknowledged the campaign's concerns in May 2021. On 15 March 2023 its "
        "national clinical director for mental health wrote that the model's police involvement in "
        "therapeutic care, its sanctions and withholding of care, and its discriminatory practices "
        "must end, and that patients previously under it should receive a care review.",
        channel=Channel.LETTER,
    )
    for text in (
        "End police involvement in therapeutic care.",
        "End sanctions and the withholding of care.",
        "End discriminatory practices.",
        "Give everyone previously under the model a review of their care.",
    ):
        promise(response, text)
    return 4
