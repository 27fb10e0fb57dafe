"""What people (and anyone else) can type into the login form: any case, any length, any byte."""

import pytest
from axes.models import AccessAttempt

from tests.factories import make_organisation, make_organiser

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def login(client, username, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@pytest.fixture
def organiser():
    return make_organiser(make_organisation(), email="organiser@example.org")


@pytest.mark.parametrize("typed", ["ORGANISER@example.org", "Organiser@Example.Org", "  organiser@example.org "])
def test_the_email_is_not_case_sensitive(client, organiser, typed):
    response = login(client, typed)
    assert response.status_code == 302 and response.url == "/organise/"
    assert client.session["_auth_user_id"] == str(organiser.pk)


def test_an_account_made_with_capitals_can_log_in_in_lower_case(client, django_user_model):
    user = django_user_model.objects.create_user(username="Admin@Example.org", email="Admin@Example.org", password=PASSWORD)
    assert login(client, "admin@example.org").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_case_variants_count_towards_one_limit(client, organiser, settings):
    variants = ["organiser@example.org", "ORGANISER@example.org", "Organiser@example.org", "organiser@EXAMPLE.org", "oRganiser@example.org"]
    for typed in variants[: settings.AXES_FAILURE_LIMIT]:
        login(client, typed, "wrong password")
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"organiser@example.org"}
    response = login(client, "Organiser@Example.org")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_login_name_longer_than_any_address_gets_a_clear_message(client, organiser):
    response = login(client, "a" * 300 + "@example.org")
    assert response.status_code == 200
    page = response.content.decode()
    assert "An email address here is at most 150 characters" in page
    assert 'aria-invalid="true"' in page
    assert not AccessAttempt.objects.exists()  # never reached the database, where it would not fit


def test_the_admin_login_with_a_very_long_name_is_not_an_error(client, organiser):
    response = client.post("/admin/login/", {"username": "a" * 300, "password": "x"})
    assert response.status_code == 200
    assert all(len(name) <= 255 for name in AccessAttempt.objects.values_list("username", flat=True))


@pytest.mark.parametrize(
    "username,password,message",
    [
        ("organiser@example.org\x00", PASSWORD, "Your email address has a character no address can have"),
        ("organiser@example.org", PASSWORD + "\x00", "Your password has a character no password here can have"),
        ("organiser@example.org", "x" * 100_000, "A password here is at most 1024 characters"),
        ("", "", "Enter the email address you log in with"),
        ("organiser@example.org", "wrong password", "Your email address or password was not right"),
    ],
)
def test_odd_login_input_gets_a_kind_message_and_keeps_the_address(client, organiser, username, password, message):
    response = login(client, username, password)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "We could not log you in" in page
    if username and "\x00" not in username:
        assert f'value="{username}"' in page


def test_login_with_a_list_for_a_name_is_not_an_error(client, organiser):
    response = client.post("/accounts/login/", {"username": ["organiser@example.org", "x"], "password": PASSWORD})
    assert response.status_code in (200, 302)
