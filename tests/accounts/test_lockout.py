"""The login limit protects an organiser's account without letting strangers lock them out."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import make_organisation, make_organiser

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
NEW_PASSWORD = "a-brand-new-password-2026"
OWNER_ADDRESS = "198.51.100.7"
STRANGER_ADDRESS = "203.0.113.66"


def login(client, email, password=PASSWORD, address=OWNER_ADDRESS):
    return client.post("/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def organiser():
    return make_organiser(make_organisation(), email="organiser@example.org")


def lock_out(client, email, address, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, email, f"wrong-{attempt}", address=address)
    assert login(client, email, address=address).status_code == 429


def reset_password(client, user, address=OWNER_ADDRESS):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_url = client.get(f"/accounts/password-reset/{uid}/{token}/", REMOTE_ADDR=address).url
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, REMOTE_ADDR=address)
    assert response.url == "/accounts/password-reset/done/"


def test_a_stranger_guessing_from_elsewhere_does_not_lock_the_organiser_out(client, organiser, settings, django_user_model):
    from django.test import Client

    stranger = Client()
    lock_out(stranger, "Organiser@example.org", STRANGER_ADDRESS, settings)
    response = login(client, organiser.email)
    assert response.status_code == 302 and response.url == "/organise/"
    # The stranger stays locked out, even with the right password.
    assert login(Client(), organiser.email, address=STRANGER_ADDRESS).status_code == 429


def test_a_completed_password_reset_lifts_the_lockout(client, organiser, settings):
    lock_out(client, organiser.email, OWNER_ADDRESS, settings)
    reset_password(client, organiser)
    response = login(client, organiser.email, NEW_PASSWORD)
    assert response.status_code == 302 and response.url == "/organise/"


def test_the_lockout_page_says_how_long_to_wait_in_words_and_that_a_reset_helps(client, organiser, settings):
    lock_out(client, organiser.email, OWNER_ADDRESS, settings)
    page = login(client, organiser.email).content.decode()
    assert "Please wait 15 minutes and try again." in page
    assert "PT15M" not in page
    assert "once you have chosen a new one, you can log in straight away" in page


def test_asking_for_a_reset_alone_does_not_lift_it(client, organiser, settings):
    lock_out(client, organiser.email, OWNER_ADDRESS, settings)
    client.post("/accounts/password-reset/", {"email": organiser.email}, REMOTE_ADDR=OWNER_ADDRESS)
    assert login(client, organiser.email).status_code == 429
