"""Two-factor authentication (TOTP, with django-otp): available to every organiser, required for staff.

After the password, an organiser who has an authenticator app set up must give a code from it
before reaching the organisers' area (/organise/) or the admin (/admin/). A staff account with no
authenticator app is sent to set one up first: staff can see every supporter's data, so a stolen
staff password alone must never be enough.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

PROTECTED_PREFIXES = ("/organise/", "/admin/")


def requires_second_factor(user) -> bool:
    return user.is_authenticated and (user.is_staff or user_has_device(user, confirmed=True))


def has_authenticator(user) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


class SecondFactorRequiredMiddleware:
    """Keeps an unverified session out of the protected areas (runs after django-otp's OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and request.path_info.startswith(PROTECTED_PREFIXES)
            and requires_second_factor(user)
            and not user.is_verified()
        ):
            step = "accounts:two_factor_verify" if has_authenticator(user) else "accounts:two_factor_setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
