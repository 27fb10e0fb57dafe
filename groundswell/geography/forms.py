"""Parsing what people type about places. No writes here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.geography import queries
from groundswell.geography.postcodes import is_valid_postcode, normalise_postcode


class NearMeForm(forms.Form):
    """"How many people near me signed?": a postcode, sent by GET so the answer has an address."""

    near = forms.CharField(
        label=_("Your postcode"),
        max_length=16,
        help_text=_("For example, SW1A 1AA. We use it to find your constituency, and do not keep it."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Enter a postcode, like SW1A 1AA."), "max_length": _("A postcode is at most 8 characters, like SW1A 1AA.")},
    )

    def clean_near(self):
        value = self.cleaned_data["near"]
        if not is_valid_postcode(value):
            raise forms.ValidationError(_("Enter a real UK postcode, like SW1A 1AA."))
        return normalise_postcode(value)


def constituency_field(*, help_text: str, invalid_message: str) -> forms.ChoiceField:
    """The "Your constituency" list of a form that also asks for a postcode (see
    ConstituencyChoice). Hidden and empty until needed, so showing the form costs no queries."""
    field = forms.ChoiceField(
        label=_("Your constituency"), required=False, help_text=help_text,
        error_messages={"invalid_choice": invalid_message}, widget=forms.HiddenInput,
    )
    field.conditional = True  # a choice is needed when it is shown: not marked "(optional)"
    return field


class ConstituencyChoice:
    """For a form with a `constituency` field (constituency_field()) beside a postcode: when a
    valid postcode is not in the geography data (new since the pack, or in Northern Ireland), the
    person chooses their constituency from an accessible list. Never a guess.

    The petition's sign form and the letter form both use it, so the list, its wording and its
    checks are written once. Call `init_constituency_choice()` at the end of `__init__`, and
    `constituency_code_for(postcode)` from `clean()` with a valid postcode.
    """

    NO_CONSTITUENCY = "none"
    # The label of a "none" choice ("sign without a constituency"), or None to offer no such choice.
    no_constituency_label = None
    # Said when the postcode is not found; %(postcode)s is the postcode.
    not_found_message = _(
        "We could not find %(postcode)s in our postcode list: it may be new, or in Northern Ireland. "
        "Check it, then choose your constituency from the list."
    )

    def init_constituency_choice(self) -> None:
        self.needs_constituency_choice = False
        # Someone who chose from the list keeps seeing it (with their choice) if anything else
        # needs fixing; the list is loaded only then, or when it must now be shown.
        if self.is_bound and self.data.get(self.add_prefix("constituency")):
            self._show_constituency_choice()

    def _show_constituency_choice(self) -> None:
        self.needs_constituency_choice = True
        field = self.fields["constituency"]
        field.widget = forms.Select()
        choices = [("", _("Choose your constituency"))]
        if self.no_constituency_label:
            choices.append((self.NO_CONSTITUENCY, self.no_constituency_label))
        field.choices = choices + queries.constituency_choices()

    def _hide_constituency_choice(self) -> None:
        self.needs_constituency_choice = False
        self.fields["constituency"].widget = forms.HiddenInput()

    def constituency_code_for(self, postcode: str) -> str:
        """The constituency code of a valid postcode; if the data does not know it, the one the
        person chose from the list (or "" if they chose none); otherwise show the list, add an
        error, and return "". Also "" when no geography data is loaded at all."""
        if not queries.geography_available():
            return ""
        found = queries.lookup_postcode(postcode)
        if found is not None:
            self._hide_constituency_choice()  # the postcode answers: the list is not needed
            return found.gss_code
        chosen = self.cleaned_data.get("constituency", "")
        if chosen == self.NO_CONSTITUENCY and self.no_constituency_label:
            return ""
        if chosen and chosen != self.NO_CONSTITUENCY:
            return chosen  # a valid choice: ChoiceField has checked it is in the list
        self._show_constituency_choice()
        self.add_error("constituency", self.not_found_message % {"postcode": postcode})
        return ""
