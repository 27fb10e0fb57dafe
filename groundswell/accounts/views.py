"""Organisers' account pages: two-factor set-up and verification, password reset by email."""

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from groundswell.accounts.actions import (
    confirm_authenticator,
    lift_login_lockouts,
    request_password_reset,
    start_authenticator_setup,
)
from groundswell.accounts.forms import SecondStepForm


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
def two_factor_setup(request):
    """Add an authenticator app: show its setup key, then confirm it with one code from the app."""
    confirmed = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if confirmed is not None and request.user.is_verified():
        return render(request, "accounts/two_factor_on.html", {"next": _next_url(request)})
    if confirmed is not None:
        return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': _next_url(request)})}")
    device = start_authenticator_setup(user=request.user)
    form = SecondStepForm(request.POST or None, authenticator=device)
    if request.method == "POST" and form.is_valid():
        confirm_authenticator(device=device)
        otp_login(request, device)
        messages.success(request, "Two-step login is on. From now on you will be asked for a code after your password.")
        return redirect(_next_url(request))
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "setup_key": _grouped(key), "otpauth_url": device.config_url, "next": _next_url(request), "required": request.user.is_staff},
    )


@login_required
def two_factor_verify(request):
    """The second step of logging in: a code from the organiser's authenticator app."""
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': _next_url(request)})}")
    form = SecondStepForm(request.POST or None, authenticator=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset form and tokens, with our templates; the email is queued for a
    worker to send (with retries), linking to SITE_URL rather than the request's Host header."""

    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        request_password_reset(email=form.cleaned_data["email"])
        return redirect(self.success_url)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password from the emailed link; it also ends any login lockout of the
    account, so an organiser locked out by wrong passwords is never stuck waiting."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        lift_login_lockouts(user=form.user)
        return response
