"""Organisers' account pages: two-step login (set-up, the code, backup codes), password reset by email."""

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from groundswell.accounts.actions import (
    BACKUP_CODE_COUNT,
    confirm_authenticator,
    lift_login_lockouts,
    make_backup_codes,
    request_password_reset,
    start_authenticator_setup,
)
from groundswell.accounts.forms import SecondStepForm
from groundswell.accounts.qr import qr_code_svg
from groundswell.accounts.queries import backup_codes_left, organisation_requires_two_step, second_step_devices


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@login_required
def two_factor_setup(request):
    """Add an authenticator app: show its setup key and QR code, then confirm it with one code
    from the app. With ?replace=1, a session that gave its second step sets up a new phone."""
    authenticator, backup = second_step_devices(request.user)
    verified = request.user.is_verified()
    next_url = _next_url(request)
    if (authenticator or backup) and not verified:
        return redirect(_with_next("accounts:two_factor_verify", next_url))
    replacing = verified and authenticator is not None and bool(request.POST.get("replace") or request.GET.get("replace"))
    if authenticator is not None and not replacing:
        return render(request, "accounts/two_factor_on.html", {"next": next_url, "codes_left": backup_codes_left(request.user)})
    device = start_authenticator_setup(user=request.user)
    form = SecondStepForm(request.POST or None, authenticator=device)
    if request.method == "POST" and form.is_valid():
        confirm_authenticator(device=device)
        otp_login(request, device)
        messages.success(request, _("Two-step login is on. From now on you will be asked for a code after your password."))
        return redirect(_with_next("accounts:backup_codes", next_url))
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "setup_key": _grouped(key),
            "otpauth_url": device.config_url,
            "qr_code": qr_code_svg(device.config_url, label=_("QR code of the setup key, for your authenticator app to scan")),
            "next": next_url,
            "required": request.user.is_staff or organisation_requires_two_step(request.user),
            "replacing": replacing,
        },
    )


@login_required
def two_factor_verify(request):
    """The second step of logging in: a code from the organiser's authenticator app, or one of
    their backup codes."""
    authenticator, backup = second_step_devices(request.user)
    if authenticator is None and backup is None:
        return redirect(_with_next("accounts:two_factor_setup", _next_url(request)))
    form = SecondStepForm(request.POST or None, authenticator=authenticator, backup=backup)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        if form.device == backup:
            left = backup_codes_left(request.user)
            messages.info(
                request,
                ngettext(
                    "You used a backup code: it will not work again. You have %(count)d left.",
                    "You used a backup code: it will not work again. You have %(count)d left.",
                    left,
                )
                % {"count": left},
            )
        return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request), "backup": backup})


@login_required
@never_cache
def backup_codes(request):
    """One-time backup codes, for logging in without the phone. Made on request and shown once,
    in the answer to that request; making new ones cancels the old."""
    authenticator, _backup = second_step_devices(request.user)
    next_url = _next_url(request)
    if authenticator is None:
        return redirect(_with_next("accounts:two_factor_setup", next_url))
    if not request.user.is_verified():  # the middleware sees to this too
        return redirect(_with_next("accounts:two_factor_verify", request.get_full_path()))
    codes = make_backup_codes(user=request.user) if request.method == "POST" else None
    return render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "codes_left": backup_codes_left(request.user), "code_count": BACKUP_CODE_COUNT, "next": next_url},
    )


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
