"""petitions.queries read paths that are written by hand for speed, checked against the ORM."""

import uuid

import pytest

from groundswell.petitions import queries
from groundswell.petitions.models import Signature
from tests.factories import make_petition, sign

pytestmark = pytest.mark.django_db


def test_the_signature_to_confirm_is_the_orms_signature_with_a_few_columns_loaded():
    petition = make_petition()
    signature = sign(petition, "Someone@Example.org", name="Robin Signer", constituency_code="E14000530",
                     updates_text="Email me news.", ip_address="192.0.2.1").signature
    loaded = queries.signature_to_confirm(petition, signature.public_id)
    full = Signature.objects.get(pk=signature.pk)
    for name in queries.SIGNATURE_TO_CONFIRM_FIELDS:
        assert name in loaded.__dict__, name  # loaded, not deferred
        assert getattr(loaded, name) == getattr(full, name), name
    assert loaded.created_at.tzinfo is not None and loaded.updates_consent_id is not None
    assert "ip_address" not in loaded.__dict__ and loaded.ip_address == "192.0.2.1"  # the rest load when read
    assert loaded._state.db == "default" and not loaded._state.adding


def test_a_link_to_another_petition_or_a_gone_signature_finds_nothing():
    petition, other = make_petition(), make_petition()
    signature = sign(petition).signature
    assert queries.signature_to_confirm(other, signature.public_id) is None
    assert queries.signature_to_confirm(petition, uuid.uuid4()) is None
    assert queries.signature_to_confirm(petition, str(signature.public_id)).pk == signature.pk  # as the link's text
