"""Two-step login (django-otp): available to every organiser, required for staff.

Who must give a second step: a staff account (staff can see every supporter's data, so a stolen
staff password alone must never be enough), any organiser who has turned two-step login on, and
every member of an organisation whose owners require it (`Organisation.two_step_required`).
Until they have given it, a session with only their password reaches nothing but the pages in
`ALLOWED_WITHOUT_SECOND_STEP` (logging in and out, giving the code or setting it up, resetting a
password). Every other page, including any added later, sends them to give their code (or, for
staff who have no authenticator yet, to set one up): the rule is an allow list, so a new page
cannot forget it. `tests/accounts/test_two_step_everywhere.py` walks every URL pattern to prove it.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from groundswell.accounts.queries import organisation_requires_two_step, second_step_devices

# URL names (namespace:name) a password-only session may open. Keep this list short.
ALLOWED_WITHOUT_SECOND_STEP = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
    }
)


def has_authenticator(user) -> bool:
    """The user has turned two-step login on: a confirmed authenticator app, or unused backup
    codes (someone whose lost phone's app was deleted logs in with a backup code)."""
    return any(second_step_devices(user))


def requires_second_factor(user) -> bool:
    return user.is_authenticated and (user.is_staff or has_authenticator(user) or organisation_requires_two_step(user))


def second_step_url(user, next_url: str) -> str:
    step = "accounts:two_factor_verify" if has_authenticator(user) else "accounts:two_factor_setup"
    return f"{reverse(step)}?{urlencode({'next': next_url})}"


class SecondFactorRequiredMiddleware:
    """Sends a session that still owes its second step to give it, on every page but the allow list.

    It decides in `process_view`, once Django has resolved the URL, so the allow list is by URL
    name rather than by path. It runs after django-otp's OTPMiddleware, which marks
    `request.user.is_verified()`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.resolver_match.view_name in ALLOWED_WITHOUT_SECOND_STEP:
            return None
        if not user.is_verified() and requires_second_factor(user):
            return redirect(second_step_url(user, request.get_full_path()))
        return None
