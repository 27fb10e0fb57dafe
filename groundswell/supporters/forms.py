from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from groundswell.core.mail import can_send_to


def sendable_address(value: str) -> None:
    """Refuse an address we could never send to (see core.mail.can_send_to), kindly. An address
    that is not an address at all has Django's own message already: one message is enough."""
    try:
        validate_email(value)
    except ValidationError:
        return
    if value and not can_send_to(value):
        raise ValidationError(
            _("We cannot send email to that address. Please check it, or use another address: the part before the @ "
              "needs to use only Latin letters, numbers and . _ + - and the part after it a real domain name."),
            code="unsendable",
        )


def supporter_email_field(*, help_text: str) -> forms.EmailField:
    """The email address field every supporter-facing form uses: the same limits, keyboard hints
    and kind messages everywhere."""
    return forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=help_text,
        validators=[sendable_address],
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address in the form name@example.com."),
            "max_length": _("Your email address must be 254 characters or fewer."),
        },
    )


class DataLinkForm(forms.Form):
    email = supporter_email_field(help_text=_("The address you signed with. We will email it a link to your data."))
