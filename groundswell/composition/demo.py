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

from groundswell.accounts.actions import add_organiser, create_organisation
from groundswell.accounts.models import Membership, Organisation
from groundswell.campaigns.models import Campaign
from groundswell.geography.demo import demo_constituency_codes
from groundswell.ledger.demo import load_demo_ledger
from groundswell.letters.demo import load_demo_letters
from groundswell.petitions.actions import recount_petition
from groundswell.petitions.forms import consent_wording, updates_wording
from groundswell.petitions.models import Petition, Signature
from groundswell.supporters.email_addresses import normalise_email
from groundswell.supporters.models import ConsentStatement
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
    _load_demo_updates()
    return organisation


def _load_demo_ledger():
    """The accountability ledger's demo entries, then "Write to your MP" (letters/demo.py)."""
    load_demo_ledger(organisation_slug=DEMO_ORGANISATION_SLUG, campaign_slug="care-not-police", organiser_email=DEMO_ORGANISER_EMAIL)
    load_demo_letters(campaign_slug="care-not-police")


def _load_demo_updates():
    """Opted-in supporters' consents and a sent update (updates/demo.py)."""
    load_demo_updates(organisation_slug=DEMO_ORGANISATION_SLUG, campaign_slug="care-not-police", organiser_email=DEMO_ORGANISER_EMAIL)
