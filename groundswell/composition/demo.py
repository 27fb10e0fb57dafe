"""Demonstration data, modelled on the 2021 campaign against police-led care for people in
mental-health crisis. Everything here is labelled as demonstration data on the site: the
coalition, the supporters and their signatures are made up; the story follows public reporting.
"""

import random
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from groundswell.accounts.actions import add_organiser, create_organisation, invite_member
from groundswell.accounts.emails import INVITATION
from groundswell.core import outbox
from groundswell.accounts.models import Membership, Organisation
from groundswell.campaigns.models import Campaign, CampaignPartner
from groundswell.events.demo import load_demo_events
from groundswell.geography.demo import demo_constituency_codes
from groundswell.ledger.demo import load_demo_batch, load_demo_ledger
from groundswell.letters.demo import load_demo_letters
from groundswell.handin.actions import check_thresholds
from groundswell.handin.models import Threshold
from groundswell.ledger.models import Target
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.actions import recount_petition
from groundswell.petitions.emails import TEXT_CHANGED_EMAIL
from groundswell.petitions.forms import PetitionForm, consent_wording, paper_consent_wording, share_name_wording, updates_wording
from groundswell.petitions.models import PartnerOptIn, Petition, Signature
from groundswell.petitions.partner_fields import partner_wording
from groundswell.supporters.email_addresses import normalise_email
from groundswell.supporters.models import ConsentStatement
from groundswell.webhooks.models import Endpoint
from groundswell.webhooks.signing import new_secret as new_webhook_secret
from groundswell.updates.demo import load_demo_updates

DEMO_ORGANISATION_SLUG = "demo-crisis-care-coalition"
DEMO_ORGANISER_EMAIL = "organiser@example.org"

_FIRST = "Aisha Alex Amir Ben Cara Chloe Dan Dev Ella Fatima Finn Grace Hana Isla Jack Jamal Kate Leo Maya Mo Nia Olu Priya Rhys Rosa Sam Tom Uma Zoe".split()
_LAST = "Ahmed Baker Brown Clarke Davies Evans Green Hall Hughes Jones Khan Lewis Morgan Patel Price Roberts Shah Smith Taylor Thomas Walker Williams Wilson Wright".split()
# Real postcode districts across Great Britain, with made-up inward codes.
_DISTRICTS = "GU2 KT1 RH1 NR1 NR2 IP1 IP4 CB1 SW1A E1 N1 SE15 M1 M14 L1 LS6 S1 B1 BS1 CF10 SA1 LL57 EH1 G1 AB10 DD1 NE1 YO1 EX1 PL1 TR1 OX1 BN1 SO14 LE1 NG1 DE1 HU1 CA1 IV1".split()
_INWARD = [f"{d}{a}{b}" for d in range(1, 10) for a in "ABDEFGH" for b in "JLNPQRSTUWXYZ"]


def _demo_password_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-organiser-password"


def demo_organiser_password() -> str:
    path = _demo_password_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


@transaction.atomic
def load_demo_data(*, signatures: int = 340, seed: int = 2021) -> Organisation:
    """Create the demo coalition, campaign, petitions and signatures; does nothing if present."""
    existing = Organisation.objects.filter(slug=DEMO_ORGANISATION_SLUG).first()
    if existing:
        _load_demo_ledger()  # fills the ledger of a demo database made before the ledger existed
        _load_demo_paper_versions_and_thresholds(seed)
        load_demo_coalition(existing)
        _load_demo_updates()
        return existing
    rng = random.Random(seed)
    organisation = create_organisation(name="Crisis Care Coalition (demonstration)", slug=DEMO_ORGANISATION_SLUG)
    add_organiser(
        organisation=organisation, email=DEMO_ORGANISER_EMAIL, password=demo_organiser_password(), role=Membership.Role.OWNER
    )
    campaign = Campaign.objects.create(
        organisation=organisation,
        slug="care-not-police",
        title="Care, not police, for people in mental-health crisis",
        summary=(
            "Mental-health service users and allies asking the NHS to stop putting police officers "
            "into the care of people in crisis."
        ),
        description=(
            "In 2021 a coalition of people who use mental-health services, their families and "
            "clinicians campaigned against a scheme that put police officers into the care teams of "
            "people who often contacted services in crisis. People under it described being "
            "threatened with prosecution, and having care withheld, for asking for help.\n\n"
            "The coalition ran a petition, urged supporters to write to their MPs, and kept a record "
            "of which NHS trusts, police forces and NHS England had answered, and what they promised. "
            "In March 2023 NHS England told trusts that the scheme's police involvement in "
            "therapeutic care, its sanctions and its withholding of care must end.\n\n"
            "This demonstration campaign is modelled on that story. The coalition named here and all "
            "its supporters are made up."
        ),
        is_public=True,
        is_demo=True,
    )
    today = timezone.localdate()
    petition = Petition.objects.create(
        campaign=campaign,
        slug="end-police-led-crisis-care",
        title="End police involvement in mental-health crisis care",
        ask=(
            "We ask NHS England to stop police officers being part of the care of people in "
            "mental-health crisis, to end sanctions and the withholding of care, and to review the "
            "care of everyone placed under such schemes."
        ),
        why=(
            "People in crisis need care. Under police-led schemes, people who asked for help too "
            "often were warned they could be prosecuted, or were refused care.\n\n"
            "Signing may show your views about health and politics. Your name is never shown, and "
            "only the number of signatures, and where in the country they come from, is published."
        ),
        addressed_to="NHS England",
        opens_on=today - timedelta(days=45),
        closes_on=today + timedelta(days=180),
        state=Petition.State.OPEN,
    )
    closed = Petition.objects.create(
        campaign=campaign,
        slug="publish-the-evidence",
        title="Publish the evidence behind police-led crisis care",
        ask="We asked NHS England to publish the evidence it relied on before the scheme spread.",
        why="Decisions about people's care should rest on published evidence.",
        addressed_to="NHS England",
        opens_on=today - timedelta(days=400),
        closes_on=today - timedelta(days=220),
        state=Petition.State.CLOSED,
    )
    # With a geography pack imported, signatures come from real postcodes' constituencies.
    constituency_codes = demo_constituency_codes(rng, signatures)
    for target, count in ((petition, signatures), (closed, max(1, signatures // 8))):
        consent = ConsentStatement.for_text(purpose=ConsentStatement.Purpose.RECORD_SIGNATURE, text=consent_wording(target))
        news = ConsentStatement.for_text(purpose=ConsentStatement.Purpose.CAMPAIGN_UPDATES, text=updates_wording(target))
        opened_at = timezone.make_aware(timezone.datetime.combine(target.opens_on, timezone.datetime.min.time()))
        span = max(1, min((timezone.now() - opened_at).total_seconds(), 60 * 86400))
        rows = []
        for i in range(count):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            abroad = rng.random() < 0.04
            email = f"{first}.{last}.{i}@example.org".lower()
            created = opened_at + timedelta(seconds=rng.uniform(0, span))
            rows.append(
                Signature(
                    petition=target,
                    name=f"{first} {last}",
                    email=email,
                    email_normalised=normalise_email(email),
                    postcode="" if abroad or constituency_codes else f"{rng.choice(_DISTRICTS)} {rng.choice(_INWARD)}",
                    country=rng.choice(["IE", "FR", "DE", "US", "ES"]) if abroad else "GB",
                    constituency_code="" if abroad or not constituency_codes else rng.choice(constituency_codes),
                    consent=consent,
                    # About three in five ticked "email me news" (supporter updates).
                    updates_consent=news if rng.random() < 0.6 else None,
                    created_at=created,
                    confirmed_at=created + timedelta(minutes=rng.uniform(1, 600)),
                    # made-up supporters: written directly, so no email is ever queued for them
                )
            )
        Signature.objects.bulk_create(rows, batch_size=500)
        recount_petition(petition=target)
    _load_demo_ledger()
    _load_demo_paper_versions_and_thresholds(seed)
    load_demo_coalition(organisation)
    _load_demo_updates()
    return organisation


DEMO_PARTNER_SLUG = "demo-mind-in-surrey"
DEMO_TEAM = [  # (address, role): made-up organisers at example.org, who can log in with the demo password
    ("organiser2@example.org", Membership.Role.ORGANISER),
    ("moderator@example.org", Membership.Role.MODERATOR),
    ("viewer@example.org", Membership.Role.VIEWER),
]
DEMO_PARTNER_ORGANISER = "partner@example.org"


def load_demo_coalition(organisation: Organisation) -> None:
    """Coalitions: a team with every role, a partner organisation whose box some demo signers
    ticked (and who came by its link), an invitation waiting, and a paused webhook endpoint
    pointing at a reserved address (RFC 5737), so nothing is ever sent. Does nothing twice."""
    if Organisation.objects.filter(slug=DEMO_PARTNER_SLUG).exists():
        return
    owner = Membership.objects.filter(organisation=organisation, role=Membership.Role.OWNER).select_related("user").first()
    for email, role in DEMO_TEAM:
        add_organiser(organisation=organisation, email=email, password=demo_organiser_password(), role=role)
    waiting = invite_member(organisation=organisation, email="invited@example.org", role=Membership.Role.ORGANISER, by=owner.user)
    outbox.cancel(INVITATION, object_ids=[waiting.pk])  # shown on the team page, never emailed
    partner_org = create_organisation(name="Mind in Surrey (demonstration)", slug=DEMO_PARTNER_SLUG)
    add_organiser(organisation=partner_org, email=DEMO_PARTNER_ORGANISER, password=demo_organiser_password(), role=Membership.Role.OWNER)
    campaign = Campaign.objects.get(slug="care-not-police")
    partner = CampaignPartner.objects.create(campaign=campaign, organisation=partner_org, slug="mind-surrey")
    wording = ConsentStatement.for_text(purpose=ConsentStatement.Purpose.PARTNER_UPDATES, text=partner_wording(partner))
    updates = {}
    rng = random.Random(17)
    opt_ins = []
    for signature in Signature.objects.filter(petition__campaign=campaign, confirmed_at__isnull=False).select_related("petition").order_by("pk"):
        roll = rng.random()
        if roll < 0.25:
            opt_ins.append(PartnerOptIn(signature=signature, partner=partner, consent=wording, created_at=signature.created_at))
        if roll < 0.15:
            Signature.objects.filter(pk=signature.pk).update(source_partner=partner)
        if roll > 0.6:
            petition = signature.petition
            if petition.pk not in updates:
                updates[petition.pk] = ConsentStatement.for_text(purpose=ConsentStatement.Purpose.CAMPAIGN_UPDATES, text=updates_wording(petition))
            Signature.objects.filter(pk=signature.pk).update(updates_consent=updates[petition.pk])
    PartnerOptIn.objects.bulk_create(opt_ins, batch_size=500)
    Endpoint.objects.create(
        organisation_id=organisation.pk, url="https://192.0.2.10/groundswell-demo-hook", description="Demonstration: paused, points nowhere",
        events=["signature.confirmed", "letter.sent"], secret=new_webhook_secret(), paused_at=timezone.now(),
        paused_reason="demonstration endpoint", created_by_email=DEMO_ORGANISER_EMAIL,
    )


def _load_demo_ledger():
    """The accountability ledger's demo entries, then "Write to your MP" (letters/demo.py), then
    the events (events/demo.py: the trust's listening event is linked to its ledger promise)."""
    load_demo_ledger(organisation_slug=DEMO_ORGANISATION_SLUG, campaign_slug="care-not-police", organiser_email=DEMO_ORGANISER_EMAIL)
    load_demo_batch(organisation_slug=DEMO_ORGANISATION_SLUG, campaign_slug="care-not-police", organiser_email=DEMO_ORGANISER_EMAIL)
    load_demo_letters(campaign_slug="care-not-police")
    load_demo_events(campaign_slug="care-not-police")
    _load_demo_welsh()


def _load_demo_paper_versions_and_thresholds(seed: int = 2021) -> None:
    """A returned paper sheet (a total and signers entered one by one, one withdrawn), an assisted
    signature, a change to the ask after people signed (version 2), and thresholds tied to NHS
    England on the ledger: one already reached (its ask is on the ledger), one still ahead.
    Through petitions' and handin's actions, as an organiser would; nothing if already there."""
    petition = Petition.objects.filter(slug="end-police-led-crisis-care", campaign__is_demo=True).first()
    target = Target.objects.filter(organisation__slug=DEMO_ORGANISATION_SLUG, name="NHS England").first()
    if petition is None or target is None or petition.paper_sheets.exists():
        return
    organiser = Membership.objects.filter(organisation__slug=DEMO_ORGANISATION_SLUG, user__email=DEMO_ORGANISER_EMAIL).first()
    user = organiser.user if organiser else None
    rng = random.Random(seed + 18)

    # Version 1 is the text everyone so far signed; then the organisers add a date to the ask.
    first = petition_actions.current_version(petition)
    Signature.objects.filter(petition=petition, version__isnull=True).update(version=first)
    form = PetitionForm({
        "campaign": petition.campaign_id, "title": petition.title, "slug": petition.slug,
        "ask": petition.ask.replace("and to review the care", "and, by the end of 2023, to review the care"),
        "why": petition.why, "addressed_to": petition.addressed_to, "opens_on": petition.opens_on.isoformat(),
        "closes_on": petition.closes_on.isoformat(), "milestones_text": ", ".join(str(m) for m in petition.milestones),
        "text_change_note": "A date for the review, as members asked at the March meeting.",
    }, instance=petition, campaigns=Campaign.objects.filter(pk=petition.campaign_id))
    if form.is_valid():
        petition = petition_actions.save_petition(form=form, user=user)
        # The made-up signers who asked for news are told of the change on the page, never by email.
        outbox.cancel(TEXT_CHANGED_EMAIL, object_ids=Signature.objects.filter(petition=petition).values_list("pk", flat=True))

    # A sheet from a stall: 40 names counted, 12 typed in one by one, one withdrawn when asked.
    sheet = petition_actions.print_sheet(petition=petition, user=user, consent_text=paper_consent_wording(petition))
    petition_actions.enter_sheet_details(
        sheet=sheet, user=user, total=40, collected_by="Priya (volunteer)", collected_where="Guildford market stall",
        collected_on=timezone.localdate() - timedelta(days=6),
    )
    codes = demo_constituency_codes(rng, 12) or [""] * 12
    entered = []
    for i in range(12):
        entered.append(petition_actions.enter_paper_signer(
            sheet=sheet, user=user, name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)} (paper {i + 1})", postcode="",
            constituency_code=codes[i], name_text=share_name_wording(petition) if i % 3 == 0 else None,
        ))
    petition_actions.withdraw_entered_signer(signature=entered[-1], user=user, reason="Asked to be removed when we phoned back")
    petition_actions.sign_assisted(
        petition=petition, volunteer=user, name="Joan (by phone, assisted)", email="", postcode="", country="GB",
        constituency_code=codes[0], consent_text=consent_wording(petition),
    )

    # Thresholds tied to the ledger: the first is already passed, so its ask goes on the ledger.
    Threshold.objects.get_or_create(petition=petition, target=target, signatures=300, defaults={
        "ask_text": "We hand the petition to NHS England and ask for a response within 20 working days.",
        "response_working_days": 20, "created_by": user,
    })
    Threshold.objects.get_or_create(petition=petition, target=target, signatures=1_000, defaults={
        "ask_text": "We ask NHS England's board to hear three people who were under the scheme.", "created_by": user,
    })
    check_thresholds(petition.pk)


def _load_demo_welsh():
    """The demo's Welsh (docs/translation.md): the campaign, its petitions and letter action in
    Welsh beside the English, so /cy/ pages show both languages' content. Only blank fields are
    filled, so running the loader again changes nothing an organiser wrote."""
    welsh = {
        (Campaign, "care-not-police"): {
            "title_cy": "Gofal, nid heddlu, i bobl mewn argyfwng iechyd meddwl",
            "summary_cy": (
                "Defnyddwyr gwasanaethau iechyd meddwl a'u cefnogwyr yn gofyn i'r GIG roi'r gorau i "
                "roi swyddogion heddlu yng ngofal pobl mewn argyfwng."
            ),
        },
        (Petition, "end-police-led-crisis-care"): {
            "title_cy": "Rhoi diwedd ar ran yr heddlu mewn gofal argyfwng iechyd meddwl",
            "ask_cy": (
                "Gofynnwn i GIG Lloegr atal swyddogion heddlu rhag bod yn rhan o ofal pobl mewn "
                "argyfwng iechyd meddwl, rhoi diwedd ar gosbau ac ar atal gofal, ac adolygu gofal pawb "
                "a roddwyd dan gynlluniau o'r fath."
            ),
            "why_cy": (
                "Mae angen gofal ar bobl mewn argyfwng. Dan gynlluniau dan arweiniad yr heddlu, roedd "
                "pobl a ofynnodd am help yn rhy aml yn cael eu rhybuddio y gallent gael eu herlyn, neu'n "
                "cael eu gwrthod gofal.\n\n"
                "Gall llofnodi ddangos eich barn am iechyd a gwleidyddiaeth. Ni ddangosir eich enw byth, "
                "a dim ond nifer y llofnodion, ac o ble yn y wlad y maent yn dod, a gyhoeddir."
            ),
        },
        (Petition, "publish-the-evidence"): {
            "title_cy": "Cyhoeddi'r dystiolaeth y tu ôl i ofal argyfwng dan arweiniad yr heddlu",
        },
    }
    for (model, slug), fields in welsh.items():
        for name, value in fields.items():
            model.objects.filter(slug=slug, **{name: ""}).update(**{name: value})


def _load_demo_updates():
    """Opted-in supporters' consents and a sent update (updates/demo.py)."""
    load_demo_updates(organisation_slug=DEMO_ORGANISATION_SLUG, campaign_slug="care-not-police", organiser_email=DEMO_ORGANISER_EMAIL)
