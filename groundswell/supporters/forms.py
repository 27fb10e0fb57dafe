from django import forms


def supporter_email_field(*, help_text: str) -> forms.EmailField:
    """The email address field every supporter-facing form uses: the same limits, keyboard hints
    and kind messages everywhere."""
    return forms.EmailField(
        label="Email address",
        max_length=254,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address in the form name@example.com.",
            "max_length": "Your email address must be 254 characters or fewer.",
        },
    )


class DataLinkForm(forms.Form):
    email = supporter_email_field(help_text="The address you signed with. We will email it a link to your data.")
