"""The one place tests make rows: real rows through the real actions where it matters.

Organisations, organisers, campaigns and petitions; ledger targets, asks, responses and
commitments (saved as the ledger's actions save them, with a history user); letter actions and
the letter texts tests write; events and replies to them. Each factory takes the fields that matter as keyword arguments.
"""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from groundswell.accounts.actions import add_organiser, create_organisation
from groundswell.campaigns.models import Campaign
from groundswell.events import actions as event_actions
from groundswell.events.models import Event
from groundswell.ledger.actions import send_ask_batch
from groundswell.campaigns.models import Campaign, CampaignPartner
from groundswell.ledger.models import Ask, Commitment, Response, Target
from groundswell.letters.models import LetterAction
from groundswell.petitions import actions
from groundswell.petitions.forms import consent_wording
from groundswell.petitions.models import Petition

_seq = itertools.count(1)


def make_organisation(name=None):
    n = next(_seq)
    return create_organisation(name=name or f"Coalition {n}", slug=f"coalition-{n}")


def make_organiser(organisation, email=None, password="a-long-test-password", role="organiser"):
    return add_organiser(organisation=organisation, email=email or f"organiser{next(_seq)}@example.org", password=password, role=role)


def make_campaign(organisation=None, **fields):
    n = next(_seq)
    defaults = {"slug": f"campaign-{n}", "title": f"Campaign {n}", "summary": "A test campaign.", "is_public": True}
    defaults.update(fields)
    return Campaign.objects.create(organisation=organisation or make_organisation(), **defaults)


def make_petition(campaign=None, **fields):
    n = next(_seq)
    today = timezone.localdate()
    defaults = {
        "slug": f"petition-{n}",
        "title": f"Petition {n}",
        "ask": "Please do the right thing.",
        "why": "Because it matters.",
        "addressed_to": "NHS England",
        "opens_on": today - timedelta(days=1),
        "closes_on": today + timedelta(days=30),
        "state": Petition.State.OPEN,
    }
    defaults.update(fields)
    return Petition.objects.create(campaign=campaign or make_campaign(), **defaults)


def sign(
    petition, email="supporter@example.org", name="Sam Supporter", postcode="GU2 7XX", country="GB", *,
    consent_text=None, updates_text=None, **fields,
):
    """Sign as the form does (unconfirmed, its email queued); returns the action's SignResult.
    fields: constituency_code, ip_address, ip_network, flagged_reason (petitions.actions.sign_petition)."""
    return actions.sign_petition(
        petition=petition,
        name=name,
        email=email,
        postcode=postcode,
        country=country,
        consent_text=consent_text if consent_text is not None else consent_wording(petition),
        updates_text=updates_text,
        **fields,
    )


def make_signature(petition, email="supporter@example.org", *, confirmed=True, **fields):
    """A signature, confirmed (and so counted) unless confirmed=False; fields as for sign()."""
    signature = sign(petition, email, **fields).signature
    if confirmed:
        actions.confirm_signature(signature=signature)
    return signature


def data_link_token(email: str) -> str:
    """A working link token to the data held about `email`, as the emailed link carries."""
    from groundswell.supporters.email_addresses import normalise_email
    from groundswell.supporters.models import DataLink
    from groundswell.supporters.tokens import make_data_token

    return make_data_token(DataLink.objects.create(email=email, email_normalised=normalise_email(email)))


# Ledger --------------------------------------------------------------------------------------

# A contact email at a made-up NHS trust: what a letter to a ledger target is sent to.
TRUST_EMAIL = "enquiries@trust.nhs.example"


def _save(instance, user=None):
    instance._history_user = user
    instance.save()
    return instance


def make_target(organisation, name="Surrey Police", *, kind=Target.Kind.POLICE_FORCE, contact_email="", **fields):
    """A ledger target. Letters can be written to it only when it has a `contact_email`
    (e.g. TRUST_EMAIL); without one it is a target the ledger tracks but nobody can write to."""
    return _save(Target(organisation=organisation, name=name, kind=kind, contact_email=contact_email, **fields))


def make_ask(campaign, target, asked_on=date(2024, 1, 10), text="Please end police-led crisis care.", **fields):
    return _save(Ask(campaign=campaign, target=target, asked_on=asked_on, text=text, **fields))


def make_response(ask, received_on=date(2024, 2, 1), classification=Response.Classification.COMMITTED, **fields):
    fields.setdefault("summary", "They said they would review it.")
    fields.setdefault("source_url", "https://news.example.org/review")
    return _save(Response(ask=ask, received_on=received_on, classification=classification, **fields))


def make_commitment(response, promise="Review the scheme.", due_on=date(2024, 6, 30), **fields):
    return _save(Commitment(response=response, promise=promise, due_on=due_on, **fields))


# Letters (on the small geography pack, tests/geography/packs.py) ------------------------------

SUGGESTED = (
    "I am writing to ask you to press the government to end police-led responses to people in mental "
    "health crisis. When someone is in crisis they need care from trained health workers, not handcuffs "
    "and a cell. Street triage schemes and crisis cafes work, and they cost less. Please ask the Health "
    "Secretary to fund crisis care teams in every area, and tell me what you will do."
)
PERSONAL_SHORT = "I live in Guildford and care a lot about this."


def make_action(campaign=None, *, to_mp=True, target=None, **fields):
    """A letter-writing action: to each writer's MP, or (to_mp=False) to one ledger `target`."""
    n = next(_seq)
    defaults = {
        "slug": f"letter-{n}",
        "title": f"Write to your MP {n}",
        "recipient_kind": LetterAction.RecipientKind.MP if to_mp else LetterAction.RecipientKind.TARGET,
        "target": target,
        "subject": "Care, not police, for people in crisis",
        "suggested_text": SUGGESTED,
        "guidance": "Say why it matters to you.",
    }
    defaults.update(fields)
    return LetterAction.objects.create(campaign=campaign or make_campaign(), **defaults)


def personal_paragraph(n: int) -> str:
    """A distinct, long personal paragraph (so the letter is not near-identical to any other)."""
    words = [f"word{n}x{i}" for i in range(60)]
    return "My own story number " + str(n) + ": " + " ".join(words) + "."


def make_letter(action, *, email="writer@example.org", name="Robin Writer", postcode="GU2 7XX", personal=PERSONAL_SHORT):
    """A letter awaiting its writer's confirmation, written the way the compose page writes it
    (to an action's target needs no geography; to an MP needs the small pack imported)."""
    from groundswell.letters.actions import write_letter

    return write_letter(
        action=action, name=name, email=email, postcode=postcode, subject=action.subject, personal=personal, body=SUGGESTED,
    )


# Events --------------------------------------------------------------------------------------


def make_event(campaign=None, *, starts_in=timedelta(days=10), hours=2, **fields):
    """A published event in person, `starts_in` from now, lasting `hours`."""
    n = next(_seq)
    starts_at = fields.pop("starts_at", None) or (timezone.now() + starts_in).replace(microsecond=0)
    defaults = {
        "title": f"Listening event {n}",
        "description": "Tell the trust what crisis care should be like.",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=hours),
        "mode": Event.Mode.IN_PERSON,
        "venue": "Guildford Library",
        "address": "77 North Street\nGuildford GU1 4AL",
        "step_free_access": "Level entrance; lift to the first floor.",
        "status": Event.Status.PUBLISHED,
    }
    defaults.update(fields)
    return Event.objects.create(campaign=campaign or make_campaign(), **defaults)


def make_rsvp(event, email="attendee@example.org", name="Alex Attendee", *, confirm=True, **fields):
    """A reply sent the way the event page sends it, confirmed unless confirm=False."""
    rsvp = event_actions.send_rsvp(event=event, name=name, email=email, **fields)
    if confirm:
        event_actions.confirm_rsvp(rsvp=rsvp)
    rsvp.refresh_from_db()
    return rsvp
def send_asks(campaign, targets, *, kind="foi", today=date(2026, 4, 16), user=None, subject="Crisis care", **fields):
    """An ask sent from the platform to each target (ledger.actions.send_ask_batch); the batch."""
    return send_ask_batch(campaign=campaign, targets=targets, kind=kind, subject=subject,
                          text=fields.pop("text", "How many people in crisis did your officers take to a place of safety?"),
                          user=user, today=today, **fields)
def make_partner(campaign, organisation=None, slug=""):
    """A partner organisation of a campaign (coalitions), added as the campaign's owner would."""
    organisation = organisation or make_organisation()
    return CampaignPartner.objects.create(campaign=campaign, organisation=organisation, slug=slug or organisation.slug)


# -- supporter updates --------------------------------------------------------------------------


def make_opted_in(petition, email="supporter@example.org", name="Sam Supporter", *, confirmed=True, **fields):
    """A signature whose signer ticked "email me news", confirmed (so an updates consent exists)."""
    from groundswell.petitions.forms import updates_wording

    return make_signature(petition, email, name=name, updates_text=updates_wording(petition), confirmed=confirmed, **fields)


def make_update(organisation, user=None, *, subject="News for {first_name}", body="Hello {first_name}.", **fields):
    """A draft update (no audience narrowing unless given)."""
    from groundswell.updates.models import Update

    return Update.objects.create(organisation=organisation, created_by=user, subject=subject, body_markdown=body, **fields)


def send_update(update, user):
    """Send now, as the organiser's button does (the queueing task is queued, not yet run)."""
    from groundswell.updates import actions as update_actions

    return update_actions.request_sending(update=update, user=user)
