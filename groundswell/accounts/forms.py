from django import forms


class AuthenticatorCodeForm(forms.Form):
    """A 6-digit code from an authenticator app, checked against one TOTP device."""

    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": "Enter the 6-digit code your authenticator app shows now."},
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("The code is 6 digits, for example 123456.")
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "That code did not match. Codes change every 30 seconds: enter the one your app shows now, "
                "and check your phone's clock is right."
            )
        return code
