"""Small factories for tests: real rows through the real actions where it matters."""

import itertools
from datetime import timedelta

from django.utils import timezone

from groundswell.accounts.actions import add_organiser, create_organisation
from groundswell.campaigns.models import Campaign
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


def sign(petition, email="supporter@example.org", name="Sam Supporter", postcode="GU2 7XX", country="GB"):
    return actions.sign_petition(
        petition=petition,
        name=name,
        email=email,
        postcode=postcode,
        country=country,
        consent_text=consent_wording(petition),
        updates_text=None,
    )


def data_link_token(email: str) -> str:
    """A working link token to the data held about `email`, as the emailed link carries."""
    from groundswell.supporters.email_addresses import normalise_email
    from groundswell.supporters.models import DataLink
    from groundswell.supporters.tokens import make_data_token

    return make_data_token(DataLink.objects.create(email=email, email_normalised=normalise_email(email)))
