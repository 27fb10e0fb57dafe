"""Parsing and validating what supporters and organisers type. No writes here."""

import functools
import re

from django import forms
from django.conf import settings
from django.utils.text import slugify
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from groundswell.core.slugs import SlugFromTitleMixin
from groundswell.core.widgets import LongSelect
from groundswell.geography.forms import ConstituencyChoice, constituency_field
from groundswell.geography.postcodes import is_valid_postcode, normalise_postcode
from groundswell.petitions.models import Petition
from groundswell.supporters.forms import supporter_email_field

# A whole number, with or without thousands separators: "1000", "1,000", "100,000".
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+")
# More than anyone could sign (and well inside a database integer); a few to celebrate.
MAX_MILESTONE = 1_000_000_000
MAX_MILESTONES = 20


def consent_wording(petition: Petition) -> str:
    """The words of the consent to record a signature. Stored with each signature as shown."""
    organisation = petition.campaign.organisation.name
    return gettext(
        "Record my signature on this petition. I understand that signing it may show my views "
        "about health and politics. %(organisation)s keeps my name and email address, and the "
        "constituency my postcode is in, to count and check signatures, never shows my name publicly, and deletes them "
        "%(months)s months after the petition closes "
        "(or after %(days)s days if I do not confirm my signature)."
    ) % {
        "organisation": organisation,
        "months": settings.SIGNER_DATA_RETENTION_DAYS_AFTER_CLOSE // 30,
        "days": settings.SIGNATURE_CONFIRMATION_DAYS,
    }


def updates_wording(petition: Petition) -> str:
    organisation = petition.campaign.organisation.name
    return gettext(
        "Email me news about this campaign from %(organisation)s. "
        "This is optional, and I can stop the emails at any time."
    ) % {"organisation": organisation}


def _country_choices() -> list[tuple[str, str]]:
    """Every country but the UK (which has its own choice), in the page's language."""
    return _country_choices_in(get_language())


@functools.cache
def _country_choices_in(language: str) -> list[tuple[str, str]]:
    """Built once per process and language (country names are django-countries' translations)."""
    with translation.override(language):
        return [("", gettext("Choose your country"))] + [(code, str(name)) for code, name in countries if code != "GB"]


class SignatureForm(ConstituencyChoice, forms.Form):
    WHERE_UK = "uk"
    WHERE_ABROAD = "abroad"

    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name."), "max_length": _("Your name must be 100 characters or fewer.")},
    )
    email = supporter_email_field(help_text=_("We will email you a link to confirm your signature."))
    where = forms.ChoiceField(
        label=_("Where do you live?"),
        choices=[(WHERE_UK, _("In the UK")), (WHERE_ABROAD, _("Outside the UK"))],
        initial=WHERE_UK,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you live in the UK."), "invalid_choice": _("Choose whether you live in the UK.")},
    )
    postcode = forms.CharField(
        label=_("UK postcode"),
        max_length=16,
        required=False,
        help_text=_("If you live in the UK. For example, SW1A 1AA."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"max_length": _("A postcode is at most 8 characters, like SW1A 1AA.")},
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=_country_choices,
        required=False,
        help_text=_("If you live outside the UK."),
        widget=LongSelect(attrs={"autocomplete": "country"}),
    )
    # Shown only when a valid postcode is not in the geography data (new, or Northern Ireland):
    # the person chooses their constituency, or signs without one. Never a guess.
    constituency = constituency_field(
        help_text=_("Choose the constituency you live in, or choose to sign without one."),
        invalid_message=_("Choose a constituency from the list, or choose to sign without one."),
    )
    no_constituency_label = _("I do not know it: sign without a constituency")
    not_found_message = _(
        "We could not find %(postcode)s in our postcode list: it may be new, or in Northern Ireland. "
        "Check it, then choose your constituency from the list, or choose to sign without one."
    )
    consent = forms.BooleanField(
        label="",
        error_messages={"required": _("To sign, tick the box to agree that we record your signature.")},
    )
    updates = forms.BooleanField(label="", required=False)

    def __init__(self, *args, petition: Petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.petition = petition
        # Needed or not depending on "Where do you live?": not marked "(optional)".
        self.fields["postcode"].conditional = True
        self.fields["country"].conditional = True
        self.fields["consent"].label = consent_wording(petition)
        self.fields["consent"].summary_label = _("Your agreement")  # the wording is too long for the error summary
        self.fields["updates"].label = updates_wording(petition)
        # The constituency list (geography.forms.ConstituencyChoice) is loaded only when needed,
        # so that showing the petition page costs no geography queries.
        self.init_constituency_choice()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean(self):
        cleaned = super().clean()
        where = cleaned.get("where")
        if where == self.WHERE_UK:
            postcode = cleaned.get("postcode", "")
            if not postcode:
                self.add_error("postcode", _("Enter your postcode, or choose “Outside the UK”."))
            elif not is_valid_postcode(postcode):
                self.add_error("postcode", _("Enter a real UK postcode, like SW1A 1AA."))
            else:
                cleaned["postcode"] = normalise_postcode(postcode)
                cleaned["constituency_code"] = self.constituency_code_for(cleaned["postcode"])
            cleaned["country"] = "GB"
        elif where == self.WHERE_ABROAD:
            if not cleaned.get("country"):
                self.add_error("country", _("Choose the country you live in."))
            cleaned["postcode"] = ""
        cleaned.setdefault("constituency_code", "")
        return cleaned


class PetitionForm(SlugFromTitleMixin, forms.ModelForm):
    slug_prefix = "petition"
    title_scope_field = "campaign"
    duplicate_title_message = _(
        "A petition with this title already exists in this campaign: change the title or type a different web address."
    )

    milestones_text = forms.CharField(
        label=_("Milestones"),
        required=False,
        help_text=_("Signature counts to celebrate, separated by commas or spaces, e.g. 1,000 10,000 100,000."),
        max_length=1000,
        error_messages={"max_length": _("That is too long for a list of milestones: enter a few numbers, like 1,000 10,000 100,000.")},
    )

    class Meta:
        model = Petition
        fields = ["campaign", "title", "slug", "ask", "why", "title_cy", "ask_cy", "why_cy", "addressed_to", "opens_on", "closes_on"]
        help_texts = {
            "title_cy": _("Welsh pages show the Welsh; without it they show the English. Needed before opening if your organisation works in Welsh and English."),
        }
        error_messages = {
            "campaign": {"required": _("Choose the campaign this petition belongs to.")},
            "title": {"required": _("Enter a title.")},
            "ask": {"required": _("Enter what the petition asks for.")},
            "why": {"required": _("Enter why it matters.")},
            "addressed_to": {"required": _("Enter who the petition is addressed to.")},
            "opens_on": {"required": _("Enter the opening date."), "invalid": _("Enter the opening date as a real date, like 2027-01-31.")},
            "closes_on": {"required": _("Enter the closing date."), "invalid": _("Enter the closing date as a real date, like 2027-01-31.")},
        }
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "ask": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self._setup_slug_field()
        self.fields["milestones_text"].initial = ", ".join(str(m) for m in (self.instance.milestones or []))

    def clean_milestones_text(self):
        raw = self.cleaned_data.get("milestones_text", "")
        numbers = [n.replace(",", "") for n in _NUMBER.findall(raw)]
        leftover = _NUMBER.sub("", raw).replace(",", "").replace(";", "").strip()
        if leftover:
            raise forms.ValidationError(_("Enter whole numbers above zero, separated by commas or spaces."))
        # Length first: int() refuses strings over 4,300 digits, and the count is a database integer.
        if any(len(n.lstrip("0")) > len(str(MAX_MILESTONE)) for n in numbers) or any(int(n) > MAX_MILESTONE for n in numbers):
            raise forms.ValidationError(
                _("Enter numbers up to %(max)s signatures.") % {"max": intcomma(MAX_MILESTONE)}
            )
        milestones = sorted({int(n) for n in numbers})
        if any(m <= 0 for m in milestones):
            raise forms.ValidationError(_("Enter whole numbers above zero, separated by commas or spaces."))
        if len(milestones) > MAX_MILESTONES:
            raise forms.ValidationError(
                _("Enter at most %(count)d milestones.") % {"count": MAX_MILESTONES}
            )
        return milestones

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The closing date must be on or after the opening date."))
        self.fill_slug(cleaned)
        return cleaned

    def save(self, commit=True):
        self.instance.milestones = self.cleaned_data["milestones_text"]
        return super().save(commit=commit)


class PetitionSearchForm(forms.Form):
    """The all-petitions page's search: a few words of a title, sent by GET so that results have
    an address and the form works without JavaScript."""

    q = forms.CharField(
        label=_("Search petitions by title"),
        required=False,
        max_length=100,
        strip=True,
        help_text=_("A word or two from the title, for example “crisis care”."),
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
        error_messages={"max_length": _("Use at most 100 characters: a word or two from the title is enough.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A search box is the whole form: "(optional)" beside it would say nothing useful.
        self.fields["q"].conditional = True
