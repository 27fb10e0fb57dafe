from django import forms


class DataLinkForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address you signed with. We will email it a link to your data.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address in the form name@example.com.",
        },
    )
