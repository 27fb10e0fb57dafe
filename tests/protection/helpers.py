"""Signing through the real form and view, as a person's browser or a script would."""

import re
import time

from django.urls import reverse

from groundswell.petitions.models import Signature
from groundswell.petitions.tokens import CONFIRMATION_LINK
from groundswell.protection.formguard import HONEYPOT_FIELD, TOKEN_FIELD, make_form_token


def form_data(petition, *, email, name="Sam Supporter", postcode="GU2 7XX", token_age=60.0, **extra):
    data = {
        "name": name,
        "email": email,
        "where": "uk",
        "postcode": postcode,
        "country": "",
        "consent": "on",
        HONEYPOT_FIELD: "",
        TOKEN_FIELD: make_form_token(petition.pk, issued_at=time.time() - token_age),
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def post_signature(client, petition, *, ip="198.51.100.7", **fields):
    headers = {key: fields.pop(key) for key in list(fields) if key.startswith("HTTP_")}
    return client.post(
        reverse("petitions:detail", args=[petition.slug]), form_data(petition, **fields), REMOTE_ADDR=ip, **headers
    )


def confirm_by_link(client, signature: Signature):
    url = reverse("petitions:confirm", args=[signature.petition.slug, CONFIRMATION_LINK.make(signature.public_id)])
    response = client.post(url)
    assert response.status_code == 302
    return response


def token_in(html: str) -> str:
    return re.search(rf'name="{TOKEN_FIELD}" value="([^"]+)"', html).group(1)
