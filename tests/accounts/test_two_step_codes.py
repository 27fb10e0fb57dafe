"""The second step's code: what happens after a wrong one, backup codes, the QR code."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_organisation, make_organiser

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def wrong_code_for(device) -> str:
    return "000000" if code_for(device) != "000000" else "111111"


@pytest.fixture
def organiser(client):
    user = make_organiser(make_organisation(), email="organiser@example.org")
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    return user


@pytest.fixture
def device(organiser):
    return TOTPDevice.objects.create(user=organiser, name="app", confirmed=True)


def test_after_a_wrong_code_the_page_says_to_wait_and_for_how_long(client, device):
    with time_machine.travel(timezone.now(), tick=False):
        wrong = client.post("/accounts/two-step/code/", {"code": wrong_code_for(device)})
        assert "That code did not match" in wrong.content.decode()
        right_too_soon = client.post("/accounts/two-step/code/", {"code": code_for(device)})
        page = right_too_soon.content.decode()
        assert right_too_soon.status_code == 200
        assert "did not match" not in page
        assert "Too many tries in a row. To keep your account safe, please wait 1 second," in page
        client.post("/accounts/two-step/code/", {"code": wrong_code_for(device)})  # still refused, not counted
    with time_machine.travel(timezone.now() + timedelta(seconds=1.5), tick=False):
        wrong_again = client.post("/accounts/two-step/code/", {"code": wrong_code_for(device)})
        assert "That code did not match" in wrong_again.content.decode()
        assert "please wait 2 seconds" in client.post("/accounts/two-step/code/", {"code": code_for(device)}).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=4), tick=False):
        response = client.post("/accounts/two-step/code/", {"code": code_for(device)})
        assert response.status_code == 302 and response.url == "/organise/"


def test_setting_up_says_the_same_after_a_wrong_code(client, organiser):
    client.get("/accounts/two-step/set-up/")
    device = TOTPDevice.objects.get(user=organiser, confirmed=False)
    with time_machine.travel(timezone.now(), tick=False):
        client.post("/accounts/two-step/set-up/", {"code": wrong_code_for(device)})
        page = client.post("/accounts/two-step/set-up/", {"code": code_for(device)}).content.decode()
        assert "please wait 1 second," in page


@pytest.mark.parametrize("typed", ["x" * 5000, "12\x0034", "１２３４５６"])
def test_odd_codes_get_a_kind_message(client, device, typed):
    response = client.post("/accounts/two-step/code/", {"code": typed})
    assert response.status_code == 200
    assert "The code is 6 digits" in response.content.decode()
