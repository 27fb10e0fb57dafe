"""The demo campaign's ledger, from the public reporting of the 2021–2023 campaign against
police-led crisis care (summarised in issue 5). Labelled on the site as demonstration data based
on news reports. No source links are invented: where we hold no verified link, none is shown.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from groundswell.accounts.models import Organisation
from groundswell.campaigns.models import Campaign
from groundswell.core import outbox
from groundswell.ledger import actions, emails, queries
from groundswell.ledger.models import Ask, AskBatch, Channel, Commitment, FollowUp, InstitutionReply, Response, Target

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


@transaction.atomic
def load_demo_batch(*, organisation_slug: str, campaign_slug: str, organiser_email: str, today: date | None = None) -> int:
    """An ask sent from the platform to three demo bodies (illustrative, not from the reporting):
    one answered through its private link and published, one still silent and chased on the
    legal clock. Returns how many asks it added (0 if the demo already has a batch)."""
    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    campaign = Campaign.objects.filter(slug=campaign_slug, organisation=organisation).first()
    if organisation is None or campaign is None or AskBatch.objects.filter(campaign=campaign).exists():
        return 0
    user = get_user_model().objects.filter(username=organiser_email).first()
    today = today or timezone.localdate()
    targets = []
    for name, kind, code, address in [
        ("Surrey Police", Target.Kind.POLICE_FORCE, "E23000031", "foi@surrey-police.demo.invalid"),
        ("Sussex Police", Target.Kind.POLICE_FORCE, "E23000033", "foi@sussex-police.demo.invalid"),
        ("Surrey and Borders Partnership NHS Foundation Trust", Target.Kind.NHS_BODY, "RXX", "foi@sabp.demo.invalid"),
    ]:
        target = Target.objects.filter(organisation=organisation, name=name).first()
        target = target or _save(Target(organisation=organisation, name=name, kind=kind, reference_code=code), user)
        target.contact_email = target.contact_email or address
        target.region = target.region or ("South East" if kind == Target.Kind.NHS_BODY else "")
        _save(target, user)
        targets.append(target)
    sent_on = today - timedelta(days=56)
    batch = actions.send_ask_batch(
        campaign=campaign, targets=targets, kind="foi", subject="Police involvement in mental-health crisis care",
        text="(Illustrative demonstration request.) Please tell us how many people your force or trust placed under a "
             "scheme involving police in mental-health crisis care in each of the last three years, and whether any "
             "sanctions or withholding of care were part of it.",
        user=user, today=sent_on,
    )
    asks = {ask.target.name: ask for ask in batch.asks.select_related("target")}
    outbox.cancel(emails.ASK, object_ids=[ask.pk for ask in asks.values()])  # demo bodies: no email ever goes
    answered = asks["Surrey and Borders Partnership NHS Foundation Trust"]
    reply = actions.receive_answer_by_link(
        ask=answered, text="(Illustrative.) The trust ended its involvement in the scheme in 2023. We will publish a review "
                           "of the care of everyone who was under it.",
        commitment="Publish a review of the care of everyone who was under the scheme.",
    )
    InstitutionReply.objects.filter(pk=reply.pk).update(received_at=timezone.now() - timedelta(days=40))
    reply.refresh_from_db()
    actions.publish_reply(reply=reply, classification="committed", summary="The trust said it had left the scheme and "
                          "promised a published review of its patients' care.", user=user, promise=reply.commitment)
    # Sussex Police stays silent: its chasers as housekeeping would have sent them.
    silent = asks["Sussex Police"]
    rules = queries.chase_settings_for(campaign)
    chasers = []
    while len(chasers) < rules.max_chasers:
        due = queries.next_chaser_on(silent, chasers=chasers, rules=rules)
        if due > today:
            break
        chasers.append(FollowUp.objects.create(ask=silent, kind=FollowUp.Kind.CHASER, number=len(chasers) + 1, sent_on=due))
    return len(asks)
