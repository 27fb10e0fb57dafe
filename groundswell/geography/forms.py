"""Parsing what people type about places. No writes here."""

from django import forms

from groundswell.geography.postcodes import is_valid_postcode, normalise_postcode


class NearMeForm(forms.Form):
    """"How many people near me signed?": a postcode, sent by GET so the answer has an address."""

    near = forms.CharField(
        label="Your postcode",
        max_length=16,
        help_text="For example, SW1A 1AA. We use it to find your constituency, and do not keep it.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": "Enter a postcode, like SW1A 1AA.", "max_length": "A postcode is at most 8 characters, like SW1A 1AA."},
    )

    def clean_near(self):
        value = self.cleaned_data["near"]
        if not is_valid_postcode(value):
            raise forms.ValidationError("Enter a real UK postcode, like SW1A 1AA.")
        return normalise_postcode(value)
