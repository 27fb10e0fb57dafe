"""Organisers' accounts: login rate limit, two-step login (required for staff), password reset."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from groundswell.core.networks import client_ip_or_empty
from tests.factories import make_organisation, make_organiser
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"username": email, "password": password})


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


@pytest.fixture
def organiser():
    return make_organiser(make_organisation(), email="organiser@example.org")


@pytest.fixture
def staff():
    user = make_organiser(make_organisation(), email="staff@example.org")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


# --- Rate limiting -------------------------------------------------------------------------------

def test_login_is_refused_after_too_many_wrong_passwords_even_with_the_right_one(client, organiser, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, organiser.email, f"wrong-{attempt}")
        assert response.status_code == 200
        assert "We could not log you in" in response.content.decode()
    assert login(client, organiser.email, "wrong-last").status_code == 429
    response = login(client, organiser.email)
    assert response.status_code == 429
    assert "Too many login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_the_cool_off(client, organiser, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, organiser.email, f"wrong-{attempt}")
    assert login(client, organiser.email).status_code == 429
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        response = login(client, organiser.email)
        assert response.status_code == 302
        assert response.url == "/organise/"


def test_the_limit_counts_the_address_our_proxy_saw_not_what_the_client_claims(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9")
    assert client_ip_or_empty(request) == "203.0.113.9"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip_or_empty(request) == "127.0.0.1"


# --- Two-step login ------------------------------------------------------------------------------

def test_an_organiser_without_two_step_login_goes_straight_in(client, organiser):
    """The demo organiser is not staff: nothing is forced on them."""
    response = login(client, organiser.email)
    assert response.url == "/organise/"
    page = client.get("/organise/")
    assert page.status_code == 200
    assert "Set up two-step login" in page.content.decode()


@pytest.mark.parametrize("area", ["/organise/", "/admin/", "/admin/petitions/petition/", "/organise/campaigns/new/"])
def test_staff_cannot_reach_the_organisers_area_or_admin_without_a_second_factor(client, staff, area):
    login(client, staff.email)
    response = client.get(area)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-step/set-up/?next=")
    # Not by posting either.
    assert client.post(area, {}).status_code == 302


def test_staff_set_up_an_authenticator_then_reach_the_organisers_area_and_admin(client, staff):
    login(client, staff.email)
    page = client.get("/accounts/two-step/set-up/?next=/admin/")
    assert page.status_code == 200
    assert "staff access" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    wrong = client.post("/accounts/two-step/set-up/", {"code": "000000" if code_for(device) != "000000" else "111111", "next": "/admin/"})
    assert wrong.status_code == 200
    assert "did not match" in wrong.content.decode()
    assert client.get("/organise/").status_code == 302

    with time_machine.travel(timezone.now() + timedelta(seconds=31)):  # past django-otp's throttle
        response = client.post("/accounts/two-step/set-up/", {"code": code_for(device), "next": "/admin/"})
        # Then backup codes are offered, before going on to the page they were going to.
        assert response.status_code == 302 and response.url == "/accounts/two-step/backup-codes/?next=%2Fadmin%2F"
        assert 'href="/admin/"' in client.get(response.url).content.decode()
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/organise/").status_code == 200
        assert client.get("/admin/").status_code == 200


def test_with_an_authenticator_every_login_asks_for_a_code(client, organiser):
    device = TOTPDevice.objects.create(user=organiser, name="app", confirmed=True)
    response = login(client, organiser.email)
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == "/accounts/two-step/code/?next=%2Forganise%2F"
    page = client.get(response.url)
    assert "Enter the code from your authenticator app" in page.content.decode()

    bad = client.post("/accounts/two-step/code/", {"code": "12ab", "next": "/organise/"})
    assert "The code is 6 digits" in bad.content.decode()
    assert client.get("/organise/").status_code == 302

    response = client.post("/accounts/two-step/code/", {"code": code_for(device), "next": "/organise/"})
    assert response.status_code == 302 and response.url == "/organise/"
    assert client.get("/organise/").status_code == 200


def test_a_code_cannot_be_used_twice(client, organiser):
    device = TOTPDevice.objects.create(user=organiser, name="app", confirmed=True)
    code = code_for(device)
    login(client, organiser.email)
    assert client.post("/accounts/two-step/code/", {"code": code}).status_code == 302
    client.logout()
    login(client, organiser.email)
    assert "did not match" in client.post("/accounts/two-step/code/", {"code": code}).content.decode()


def test_next_cannot_send_an_organiser_to_another_site(client, organiser):
    device = TOTPDevice.objects.create(user=organiser, name="app", confirmed=True)
    login(client, organiser.email)
    response = client.post("/accounts/two-step/code/", {"code": code_for(device), "next": "https://evil.example.com/"})
    assert response.url == "/organise/"


# --- Password reset ------------------------------------------------------------------------------

def test_password_reset_by_email_through_a_real_smtp_server(client, organiser, smtp_server, settings):
    settings.SITE_URL = "https://petitions.example.org"
    response = client.post("/accounts/password-reset/", {"email": "Organiser@Example.org"})
    assert response.status_code == 302 and response.url == "/accounts/password-reset/sent/"
    assert smtp_server.messages == []  # queued for a worker, not sent during the request
    assert run_queued_tasks() == 1
    [mail] = smtp_server.wait_for(1)
    assert mail.envelope_to == ["organiser@example.org"]
    assert mail.subject == "Reset your Groundswell password"
    [link] = [link for link in mail.links() if "/password-reset/" in link]
    assert link.startswith("https://petitions.example.org/accounts/password-reset/")

    path = link.removeprefix(settings.SITE_URL)
    response = client.get(path)  # Django moves the token into the session and redirects
    form_url = response.url
    page = client.get(form_url)
    assert "Choose a new password" in page.content.decode()
    response = client.post(form_url, {"new_password1": "a-brand-new-password-2026", "new_password2": "a-brand-new-password-2026"})
    assert response.url == "/accounts/password-reset/done/"
    assert get_user_model().objects.get(pk=organiser.pk).check_password("a-brand-new-password-2026")
    # The link works once.
    assert "This link has expired" in client.get(form_url).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, smtp_server):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.url == "/accounts/password-reset/sent/"
    assert run_queued_tasks() == 0
    assert smtp_server.messages == []


def test_password_reset_email_waits_for_the_mail_server_and_is_sent_when_it_is_back(client, organiser, stopped_smtp_server):
    client.post("/accounts/password-reset/", {"email": "organiser@example.org"})
    assert run_queued_tasks() == 0  # the server is down: the outbox keeps it for a retry
    assert stopped_smtp_server.messages == []
    stopped_smtp_server.start()
    assert run_queued_tasks(include_deferred=True) == 1
    [mail] = stopped_smtp_server.wait_for(1)
    assert "/accounts/password-reset/" in mail.text


def test_records_of_failed_logins_are_forgotten_after_a_day(client):
    from axes.models import AccessAttempt

    from groundswell.accounts.actions import forget_old_login_failures

    organiser = make_organiser(make_organisation(), email="forgetful@example.org")
    login(client, organiser.email, password="wrong password")
    assert AccessAttempt.objects.count() == 1
    assert forget_old_login_failures() == 0
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert forget_old_login_failures() == 1
    assert not AccessAttempt.objects.exists()
