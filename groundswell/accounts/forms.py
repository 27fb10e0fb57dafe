"""Parsing what organisers type to log in: email and password, then the second step's code."""

import math
import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from groundswell.accounts.models import Role

# Long enough for any passphrase or password manager; short enough that nobody can make the
# server hash megabytes.
PASSWORD_MAX_LENGTH = 1024
# django-otp's backup codes (StaticToken.random_token): 8 characters of lower-case base32.
BACKUP_CODE = re.compile(r"[a-z2-7]{8}")
AUTHENTICATOR_CODE = re.compile(r"[0-9]{6}")


class LoginForm(AuthenticationForm):
    """Django's login form with kind messages and limits, so that odd input (a name longer than
    any address, NUL characters, a huge password) is a message on the page, never an error."""

    error_messages = {
        "invalid_login": _("Your email address or password was not right. Please try again."),
        "inactive": _("This account is switched off. Ask an owner of your organisation for help."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Email address")
        # AuthenticationForm sets max_length after the field is made, which adds no validator.
        username.validators.append(MaxLengthValidator(username.max_length))
        username.error_messages.update(
            {
                "required": _("Enter the email address you log in with."),
                "max_length": ngettext_lazy(
                    "An email address here is at most %(limit_value)d character. Please check what you typed.",
                    "An email address here is at most %(limit_value)d characters. Please check what you typed.",
                    "limit_value",
                ),
                "null_characters_not_allowed": _(
                    "Your email address has a character no address can have. Please type it again."
                ),
            }
        )
        password = self.fields["password"]
        password.label = _("Password")
        password.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
        password.error_messages.update(
            {
                "required": _("Enter your password."),
                "max_length": ngettext_lazy(
                    "A password here is at most %(limit_value)d character. Please check what you typed.",
                    "A password here is at most %(limit_value)d characters. Please check what you typed.",
                    "limit_value",
                ),
                "null_characters_not_allowed": _(
                    "Your password has a character no password here can have. Please type it again."
                ),
            }
        )


def too_many_tries_message(info) -> str:
    """django-otp refuses every code for a while after a wrong one (1 s, 2 s, 4 s, ...): say so."""
    locked_until = (info or {}).get("locked_until")
    if locked_until is None:
        return str(_("Too many tries in a row. Please wait a little, then try again."))
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return ngettext(
        "Too many tries in a row. To keep your account safe, please wait %(seconds)d second, "
        "then enter the code your app shows at that moment.",
        "Too many tries in a row. To keep your account safe, please wait %(seconds)d seconds, "
        "then enter the code your app shows at that moment.",
        seconds,
    ) % {"seconds": seconds}


class SecondStepForm(forms.Form):
    """A 6-digit code from an authenticator app or, when the organiser has them, a backup code.

    `authenticator` is a TOTP device (confirmed, or the one being set up); `backup` a static
    device holding backup codes, or None. A backup code works once (django-otp deletes it).
    """

    code = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter the 6-digit code your authenticator app shows now."),
            "max_length": _("The code is 6 digits, for example 123456."),
            "null_characters_not_allowed": _("The code is 6 digits, for example 123456."),
        },
    )

    def __init__(self, *args, authenticator=None, backup=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.authenticator = authenticator
        self.backup = backup
        self.device = None
        if authenticator is None:
            self.fields["code"].label = _("Backup code")
            self.fields["code"].error_messages["required"] = _("Enter one of your backup codes.")
        if backup is not None:
            self.fields["code"].help_text = _(
                "No phone to hand? Enter one of your backup codes (8 letters and numbers) instead."
            )
        else:
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
        if self.authenticator is not None and AUTHENTICATOR_CODE.fullmatch(code):
            device = self.authenticator
            mismatch = _(
                "That code did not match. Codes change every 30 seconds: enter the one your app shows now, "
                "and check your phone's clock is right."
            )
        elif self.backup is not None and BACKUP_CODE.fullmatch(code):
            device = self.backup
            mismatch = _("That backup code did not match. Each backup code works once: use one you have not used before.")
        elif self.backup is not None:
            raise forms.ValidationError(
                _("The code is 6 digits, for example 123456, or a backup code of 8 letters and numbers.")
            )
        else:
            raise forms.ValidationError(_("The code is 6 digits, for example 123456."))
        allowed, info = device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(too_many_tries_message(info))
        if not device.verify_token(code):
            raise forms.ValidationError(mismatch)
        self.device = device
        return code


# -- the team ------------------------------------------------------------------------------


def _role_field(label):
    return forms.ChoiceField(
        label=label,
        choices=Role.choices,
        error_messages={"required": _("Choose a role."), "invalid_choice": _("Choose one of the roles in the list.")},
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the email address to send the invitation to."),
            "invalid": _("Enter an email address in the right form, like name@example.org."),
            "max_length": _("An email address is at most 254 characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field(_("Role"))


class RoleForm(forms.Form):
    def __init__(self, *args, member_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field(_("Role of %(name)s") % {"name": member_name} if member_name else _("Role"))


class TeamSettingsForm(forms.Form):
    two_step_required = forms.BooleanField(
        label=_("Everyone in the team must use two-step login"),
        required=False,
        help_text=_("Each member gives a code from an authenticator app after their password."),
    )


class ChoosePasswordForm(forms.Form):
    """A new member's password, checked by the site's password validators."""

    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. A few unusual words together make a good one."),
        error_messages={"required": _("Choose a password."), "max_length": _("A password here is at most 1024 characters.")},
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again, to be sure it is what you meant.")},
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same. Type them again."))
        elif first:
            try:
                password_validation.validate_password(first, get_user_model()(username=self.email, email=self.email))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
