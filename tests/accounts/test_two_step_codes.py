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


# --- The QR code ---------------------------------------------------------------------------------

def test_the_setup_page_shows_a_qr_code_of_the_setup_link_drawn_inline_beside_the_key(client, organiser):
    import segno

    page = client.get("/accounts/two-step/set-up/").content.decode()
    device = TOTPDevice.objects.get(user=organiser, confirmed=False)
    assert '<svg role="img" aria-label="QR code of the setup key, for your authenticator app to scan"' in page
    expected = segno.make(device.config_url, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff", svgclass="qr-code")
    assert expected.split(">", 1)[1] in page  # the code is of the otpauth:// link, nothing else
    assert "<img" not in page and "http://" not in page.split("<main", 1)[-1].replace(device.config_url, "")
    assert "Can't scan it? Enter this setup key instead" in page


# --- Backup codes --------------------------------------------------------------------------------

def verified(client, device):
    response = client.post("/accounts/two-step/code/", {"code": code_for(device)})
    assert response.status_code == 302


def make_codes(client) -> list[str]:
    import re

    response = client.post("/accounts/two-step/backup-codes/", {"next": "/organise/"})
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    return ["".join(code.split()) for code in re.findall(r"<li>([a-z2-7]{4} [a-z2-7]{4})</li>", response.content.decode())]


def log_in_again(client, organiser):
    client.logout()
    client.post("/accounts/login/", {"username": organiser.email, "password": PASSWORD})


def test_an_organiser_makes_ten_backup_codes_shown_once_and_each_works_once(client, organiser, device):
    verified(client, device)
    codes = make_codes(client)
    assert len(codes) == 10 == len(set(codes))
    assert 'class="backup-codes"' not in client.get("/accounts/two-step/backup-codes/").content.decode()  # shown once
    assert "You have 10 unused backup codes" in client.get("/accounts/two-step/backup-codes/").content.decode()

    log_in_again(client, organiser)
    page = client.get("/accounts/two-step/code/").content.decode()
    assert "enter one of your backup codes" in page.lower()
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"  # as read aloud or copied from paper
    response = client.post("/accounts/two-step/code/", {"code": typed, "next": "/moderate/"}, follow=True)
    assert response.redirect_chain[0] == ("/moderate/", 302)
    assert "You used a backup code: it will not work again. You have 9 left." in response.content.decode()

    log_in_again(client, organiser)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        again = client.post("/accounts/two-step/code/", {"code": codes[0]})
        assert "That backup code did not match" in again.content.decode()
        assert client.get("/moderate/").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        assert client.post("/accounts/two-step/code/", {"code": codes[1]}).status_code == 302


def test_making_new_backup_codes_cancels_the_old_ones(client, organiser, device):
    verified(client, device)
    old = make_codes(client)
    new = make_codes(client)
    assert not set(old) & set(new)
    log_in_again(client, organiser)
    assert "did not match" in client.post("/accounts/two-step/code/", {"code": old[0]}).content.decode()


def test_backup_codes_need_the_second_step_and_two_step_login_on(client, organiser):
    assert client.get("/accounts/two-step/backup-codes/").url.startswith("/accounts/two-step/set-up/")
    device = TOTPDevice.objects.create(user=organiser, name="app", confirmed=True)
    assert client.post("/accounts/two-step/backup-codes/").url.startswith("/accounts/two-step/code/")
    from django_otp.plugins.otp_static.models import StaticToken

    assert not StaticToken.objects.exists()


def test_with_a_lost_phone_a_backup_code_lets_them_in_to_set_up_a_new_one(client, organiser, device):
    verified(client, device)
    codes = make_codes(client)
    log_in_again(client, organiser)
    response = client.post("/accounts/two-step/code/", {"code": codes[0], "next": "/organise/"})
    assert response.url == "/organise/"
    on = client.get("/accounts/two-step/set-up/").content.decode()
    assert "Set up the authenticator app on a new phone" in on
    client.get("/accounts/two-step/set-up/?replace=1")
    new_device = TOTPDevice.objects.get(user=organiser, confirmed=False)
    response = client.post("/accounts/two-step/set-up/", {"code": code_for(new_device), "replace": "1", "next": "/organise/"})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=organiser)) == [new_device]  # the lost phone's app no longer works


def test_replacing_the_app_needs_the_second_step(client, organiser, device):
    page = client.get("/accounts/two-step/set-up/?replace=1")
    assert page.url.startswith("/accounts/two-step/code/")
    assert TOTPDevice.objects.filter(user=organiser).count() == 1


def test_if_the_admin_deleted_the_app_backup_codes_still_work_and_none_left_means_set_up(client, organiser, device):
    verified(client, device)
    codes = make_codes(client)
    device.delete()  # an administrator resets their two-step login, but they kept their codes
    log_in_again(client, organiser)
    assert client.get("/organise/").url.startswith("/accounts/two-step/code/")
    page = client.get("/accounts/two-step/code/").content.decode()
    assert "Backup code" in page
    assert client.post("/accounts/two-step/code/", {"code": codes[0]}).status_code == 302
    from django_otp.plugins.otp_static.models import StaticToken

    StaticToken.objects.all().delete()
    log_in_again(client, organiser)
    assert client.get("/organise/").status_code == 200  # no device left: two-step login is off
