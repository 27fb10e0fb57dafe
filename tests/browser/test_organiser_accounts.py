"""Organisers' account pages in a real browser: two-step login, password reset, lockout; axe-core on each."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import make_organisation, make_organiser
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password"


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(page, site, email, password=PASSWORD):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_staff_set_up_two_step_login_with_the_keyboard_and_every_page_is_accessible(site, page, axe):
    staff = make_organiser(make_organisation(), email="staff@example.org")
    staff.is_staff = True
    staff.save()

    log_in(page, site, "staff@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step login")
    # The QR code is drawn in the page, named for screen readers, with the key beside it.
    expect(page.get_by_role("img", name="QR code of the setup key, for your authenticator app to scan")).to_be_visible()
    expect(page.locator("#setup-key")).to_be_visible()
    axe.assert_no_violations(page)

    page.get_by_label("6-digit code from your authenticator app").fill("12")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#id_code_error")).to_contain_text("The code is 6 digits")
    axe.assert_no_violations(page)

    device = TOTPDevice.objects.get(user=staff)
    page.get_by_label("6-digit code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Turn on two-step login").click()

    # Backup codes are offered next, and shown once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Backup codes")
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Make 10 backup codes").click()
    codes = page.get_by_role("list", name="Your backup codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    backup_code = codes.first.inner_text()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="I have kept them safe: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your campaigns")

    # A later login asks for a code.
    page.context.clear_cookies()
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=True):
        log_in(page, site, "staff@example.org")
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
        axe.assert_no_violations(page)
        page.get_by_label("6-digit code from your authenticator app").fill(code_for(device))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your campaigns")

    # Without the phone, a backup code does instead.
    page.context.clear_cookies()
    log_in(page, site, "staff@example.org")
    page.get_by_label("6-digit code from your authenticator app").fill(backup_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your campaigns")
    expect(page.get_by_text("You used a backup code")).to_be_visible()
    page.get_by_role("link", name="backup codes and a new phone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step login is on")
    axe.assert_no_violations(page)


def test_password_reset_and_lockout_pages_are_accessible(site, page, axe, smtp_server, settings):
    make_organiser(make_organisation(), email="organiser@example.org")
    page.goto(f"{site}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    axe.assert_no_violations(page)
    page.get_by_label("Email").fill("organiser@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe.assert_no_violations(page)

    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    [link] = [link for link in mail.links() if "/password-reset/" in link]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    axe.assert_no_violations(page)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password confirmation").fill("short")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe.assert_no_violations(page)
    page.get_by_label("New password", exact=True).fill("a-brand-new-password-2026")
    page.get_by_label("New password confirmation").fill("a-brand-new-password-2026")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    axe.assert_no_violations(page)

    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(page, site, "organiser@example.org", f"wrong-{attempt}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many login attempts")
    axe.assert_no_violations(page)
