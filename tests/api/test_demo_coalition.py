"""The demo shows coalitions: a team with every role, a partner with opt-ins, a paused webhook endpoint that points nowhere."""

import pytest

from groundswell.accounts.models import Invitation, Membership
from groundswell.composition.demo import DEMO_ORGANISATION_SLUG, DEMO_PARTNER_SLUG, load_demo_data
from groundswell.core.models import OutgoingEmail
from groundswell.petitions.models import PartnerOptIn
from groundswell.webhooks import actions as webhooks
from groundswell.webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_team_a_partner_and_a_harmless_webhook(settings, tmp_path):
    settings.GROUNDSWELL_GEOGRAPHY_PACK = str(tmp_path / "nowhere")
    load_demo_data(signatures=40)
    load_demo_data(signatures=40)  # twice changes nothing
    roles = set(Membership.objects.filter(organisation__slug=DEMO_ORGANISATION_SLUG).values_list("role", flat=True))
    assert roles == {"owner", "organiser", "moderator", "viewer"}
    assert PartnerOptIn.objects.filter(partner__organisation__slug=DEMO_PARTNER_SLUG).exists()
    assert Invitation.objects.count() == 1
    assert not OutgoingEmail.objects.filter(kind="accounts.invitation", state="queued").exists()
    [endpoint] = Endpoint.objects.all()
    assert endpoint.paused_at is not None and endpoint.url.startswith("https://192.0.2.")
    assert webhooks.deliver_all_due() == 0 and not Delivery.objects.filter(state="delivered").exists()
