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
from groundswell.geography.queries import lookup_postcode
from groundswell.petitions.models import Petition
from groundswell.petitions.partner_fields import PartnerOptInsMixin
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


def share_name_wording(petition: Petition) -> str:
    """The separate, explicit agreement to give a signer's name to the petition's recipient (the
    hand-in pack lists only these names). Stored with the signature as shown, like the consent."""
    return (
        f"You may give my name to {petition.addressed_to} when the petition is handed in. "
        f"This is optional: without it, my signature is counted but my name is not given to anyone."
    )


def paper_consent_wording(petition: Petition) -> str:
    """The words printed at the top of a paper sheet: what each person signing it agrees to."""
    organisation = petition.campaign.organisation.name
    return (
        f"By writing my name on this sheet I ask {organisation} to record my signature on this petition. "
        f"I understand that signing it may show my views about health and politics. {organisation} keeps "
        f"my name, the constituency my postcode is in, and my email address if I give one, to count and check "
        f"signatures, never shows my name publicly, and deletes them "
        f"{settings.SIGNER_DATA_RETENTION_DAYS_AFTER_CLOSE // 30} months after the petition closes."
    )


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


class SignatureForm(PartnerOptInsMixin, ConstituencyChoice, forms.Form):
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
    # A separate, explicit agreement, unticked unless the person ticks it (the hand-in pack).
    share_name = forms.BooleanField(label="", required=False)

    def __init__(self, *args, petition: Petition, source: str = "", partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.petition = petition
        self.fields["share_name"].label = share_name_wording(petition)
        self.init_partner_fields(petition, source, partners)  # coalitions: a box per partner (partner_fields.py)
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

    # Shown when editing: once people have signed, a change to the title or ask is a new version.
    text_change_minor = forms.BooleanField(
        label=_("This change to the title or ask is a minor correction (spelling, punctuation)"),
        required=False,
        help_text=_("Once people have signed, a change to the title or the ask is kept as a new version, shown on the "
                    "petition's page. Unless it is minor, signers who asked for news are emailed when the ask changes."),
    )
    text_change_note = forms.CharField(
        label=_("What changed and why"), required=False, max_length=300,
        help_text=_("Shown with the new version, and in the email to signers."),
        error_messages={"max_length": _("Use at most 300 characters.")},
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
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ask": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self._setup_slug_field()
        self.fields["milestones_text"].initial = ", ".join(str(m) for m in (self.instance.milestones or []))
        if self.instance.pk is None:
            del self.fields["text_change_minor"], self.fields["text_change_note"]

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


# -- paper sheets and assisted signing (organisers and volunteers) ----------------------------

SCAN_TYPES = {".pdf": b"%PDF-", ".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
SCAN_MAX_BYTES = 10 * 1024 * 1024


def validate_scan(upload) -> None:
    """A scan of a sheet: a PDF, PNG or JPEG, recognised by its first bytes, up to 10 MB."""
    if upload.size > SCAN_MAX_BYTES:
        raise forms.ValidationError(_("The scan is larger than 10 MB: scan it at a lower resolution."))
    suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    magic = SCAN_TYPES.get(suffix)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if magic is None or not head.startswith(magic):
        raise forms.ValidationError(_("Upload the scan as a PDF, PNG or JPEG file."))


class _PostcodeToConstituency:
    """An optional UK postcode, checked with geography's postcode lookup: the signer is counted in
    its constituency. Not kept (only the constituency and a keyed hash for duplicates)."""

    def clean_postcode(self):
        postcode = self.cleaned_data.get("postcode", "").strip()
        if not postcode:
            self.cleaned_data["constituency_code"] = ""
            return ""
        if not is_valid_postcode(postcode):
            raise forms.ValidationError(_("“%(postcode)s” is not a UK postcode: check it (like SW1A 1AA), or leave it blank.") % {"postcode": postcode})
        constituency = lookup_postcode(postcode)
        if constituency is None:
            raise forms.ValidationError(
                _("We could not find %(postcode)s in our postcode list (it may be new, or in Northern Ireland): "
                  "check it, or leave it blank to count the signature without a constituency.") % {"postcode": normalise_postcode(postcode)}
            )
        self.cleaned_data["constituency_code"] = constituency.gss_code
        return normalise_postcode(postcode)

    def clean_name(self):
        name = " ".join(self.cleaned_data.get("name", "").split())
        if not name:
            raise forms.ValidationError(_("Enter the signer's name."))
        return name

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("constituency_code", "")
        return cleaned


def _name_field():
    return forms.CharField(
        label=_("Name"), max_length=100,
        error_messages={"required": _("Enter the signer's name."), "max_length": _("A name must be 100 characters or fewer.")},
    )


def _postcode_field(help_text):
    return forms.CharField(
        label=_("Postcode"), max_length=16, required=False, help_text=help_text,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"max_length": _("A postcode is at most 8 characters, like SW1A 1AA.")},
    )


class SheetDetailsForm(forms.Form):
    """A returned sheet: how many signed it and where it came from."""

    total = forms.IntegerField(
        label=_("Signatures on the sheet"), required=False, min_value=0, max_value=100_000,
        help_text=_("Count the lines with a name. Leave blank if you are entering every signer one by one."),
        error_messages={
            "invalid": _("Enter the total as a whole number, like 50."),
            "min_value": _("A sheet's total cannot be below zero: enter 0 or more."),
            "max_value": _("That is more than a sheet can hold: check the total."),
        },
    )
    collected_by = forms.CharField(label=_("Collected by"), max_length=200, help_text=_("Who collected the signatures."),
                                   error_messages={"required": _("Enter who collected the signatures.")})
    collected_where = forms.CharField(label=_("Where"), max_length=200, help_text=_("For example: Guildford market stall."),
                                      error_messages={"required": _("Enter where the signatures were collected.")})
    collected_on = forms.DateField(
        label=_("When"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date the signatures were collected."), "invalid": _("Enter a real date, like 2027-01-31.")},
    )
    scan = forms.FileField(label=_("A scan of the sheet"), required=False, validators=[validate_scan],
                           help_text=_("Optional. A PDF, PNG or JPEG. Only organisers can see it."))
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500,
                             help_text=_("When correcting details already entered: it goes on the record."))


class PaperSignerForm(_PostcodeToConstituency, forms.Form):
    name = _name_field()
    postcode = _postcode_field(_("As written on the sheet. Leave blank if there is none: the signature is counted without a constituency."))
    email = forms.EmailField(
        label=_("Email address"), required=False, max_length=254,
        help_text=_("Only if they wrote one. No email is sent: a paper signature is counted as it is."),
        error_messages={"invalid": _("Enter an email address in the form name@example.com, or leave it blank.")},
    )
    share_name = forms.BooleanField(label=_("They ticked “you may give my name to the recipient”"), required=False)


class CorrectSignerForm(_PostcodeToConstituency, forms.Form):
    name = _name_field()
    postcode = _postcode_field(_("Enter it again to change the constituency; leave blank for none."))
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500,
                             error_messages={"required": _("Give the reason for the correction: it goes on the record.")})


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing it"), max_length=500,
        help_text=_("For example: they asked to be removed; entered twice by mistake. It goes on the record."),
        error_messages={"required": _("Give the reason for withdrawing it: it goes on the record.")},
    )


class AssistedSignatureForm(_PostcodeToConstituency, forms.Form):
    """A volunteer signing for someone by phone or in person, reading them the consent words."""

    name = _name_field()
    email = forms.EmailField(
        label=_("Their email address"), required=False, max_length=254,
        help_text=_("If they have one: we email them a link to confirm, and the signature counts once they do. "
                    "Without one it counts at once, on your word."),
        error_messages={"invalid": _("Enter an email address in the form name@example.com, or leave it blank.")},
    )
    postcode = _postcode_field(_("Their UK postcode, to count them in their constituency. Leave blank if they do not know it."))
    consent_read = forms.BooleanField(
        label="", error_messages={"required": _("Read them the consent words and tick the box once they agree.")}
    )
    updates = forms.BooleanField(label="", required=False)
    share_name = forms.BooleanField(label="", required=False)

    def __init__(self, *args, petition: Petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.petition = petition
        self.fields["consent_read"].label = _("I read these words aloud and they agreed: “%(words)s”") % {"words": consent_wording(petition)}
        self.fields["consent_read"].summary_label = _("Their agreement")
        self.fields["updates"].label = _("They asked for news (needs an email address): “%(words)s”") % {"words": updates_wording(petition)}
        self.fields["share_name"].label = _("They agreed: “%(words)s”") % {"words": share_name_wording(petition)}
