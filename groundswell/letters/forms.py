"""Parsing and validating what supporters and organisers type about letters. No writes here."""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.formats import date_format
from django.utils.translation import gettext

from groundswell.geography.forms import ConstituencyChoice, constituency_field
from groundswell.core.slugs import SlugFromTitleMixin
from groundswell.geography.postcodes import is_valid_postcode, normalise_postcode
from groundswell.ledger.models import Target
from groundswell.letters.models import LetterAction
from groundswell.supporters.forms import supporter_email_field

MIN_PERSONAL_WORDS = 8


class LetterForm(ConstituencyChoice, forms.Form):
    """The supporter's letter. The same form is shown to compose, carried in hidden fields on the
    preview page, and submitted to send: nothing is stored before the supporter chooses to send."""

    name = forms.CharField(
        label=_("Your name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name: the letter is signed with it.")},
    )
    email = supporter_email_field(help_text=_("We email you a link to confirm the letter, and replies come straight to you."))
    postcode = forms.CharField(
        label=_("Your postcode"), max_length=16,
        help_text=_("We use it to find your MP, and put it under your name so they know you are a constituent. For example, SW1A 1AA."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Enter your postcode, so we can find your MP.")},
    )
    # Shown only when a valid postcode is not in the geography data: the writer chooses their
    # constituency, and the letter goes to its MP (the same list as the petition's sign form).
    constituency = constituency_field(
        help_text=_("Choose the constituency you live in: your letter goes to its MP."),
        invalid_message=_("Choose your constituency from the list."),
    )
    not_found_message = _(
        "We could not find %(postcode)s in our postcode list: it may be new, or in Northern Ireland. "
        "Check it, then choose your constituency from the list, so that we can find your MP."
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=150, error_messages={"required": _("Enter a subject for your letter.")},
    )
    personal = forms.CharField(
        label=_("In your own words"),
        max_length=5000,
        help_text=_("Required. Say why this matters to you: a few sentences of your own carry more weight than any suggested text."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write a few sentences in your own words: why this matters to you.")},
    )
    body = forms.CharField(
        label=_("The letter"), max_length=10000,
        help_text=_("The suggested points. Change anything you like."),
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": _("The letter cannot be empty.")},
    )

    def __init__(self, *args, action: LetterAction, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if not action.to_mp:
            del self.fields["postcode"]
            del self.fields["constituency"]
        else:
            self.init_constituency_choice()

    def clean_postcode(self):
        value = self.cleaned_data["postcode"]
        if not is_valid_postcode(value):
            raise forms.ValidationError(_("Enter a full UK postcode, like SW1A 1AA."))
        return normalise_postcode(value)

    def clean(self):
        cleaned = super().clean()
        cleaned["constituency_code"] = ""
        if self.action.to_mp and cleaned.get("postcode"):
            cleaned["constituency_code"] = self.constituency_code_for(cleaned["postcode"])
        return cleaned

    def clean_personal(self):
        value = self.cleaned_data["personal"].strip()
        if len(value.split()) < MIN_PERSONAL_WORDS:
            raise forms.ValidationError(
                f"Write at least {MIN_PERSONAL_WORDS} words in your own words: why this matters to you."
            )
        return value


class LetterActionForm(SlugFromTitleMixin, forms.ModelForm):
    slug_prefix = "letter"
    title_scope_field = "campaign"
    duplicate_title_message = _(
        "A letter-writing action with this title already exists in this campaign: change the title or type a different web address."
    )

    class Meta:
        model = LetterAction
        fields = ["campaign", "slug", "title", "recipient_kind", "target", "subject", "suggested_text", "guidance", "title_cy", "guidance_cy", "is_open"]
        widgets = {"recipient_kind": forms.RadioSelect}
        error_messages = {
            "campaign": {"required": _("Choose the campaign this letter-writing action belongs to.")},
            "title": {"required": _("Enter a title.")},
            "recipient_kind": {"required": _("Choose who the letters go to.")},
            "subject": {"required": _("Enter a suggested subject line.")},
            "suggested_text": {"required": _("Enter the suggested letter.")},
        }

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_slug_field()
        self.fields["campaign"].queryset = campaigns
        self.fields["target"].queryset = Target.objects.filter(organisation__campaigns__in=campaigns).distinct().order_by("name")
        self.fields["target"].help_text = _("For letters to an institution: a ledger target. Add its contact email in the ledger first.")

    @staticmethod
    def initial_for_chase(ask) -> dict:
        """A letter-writing action that chases a target's silence, pre-filled from the ask (the
        organiser edits everything before saving)."""
        asked = date_format(ask.asked_on, "j F Y")
        return {
            "campaign": ask.campaign_id,
            "recipient_kind": LetterAction.RecipientKind.TARGET,
            "target": ask.target_id,
            "title": gettext("Ask %(name)s to answer") % {"name": ask.target.name},
            "slug": slugify(f"chase {ask.target.name} {ask.asked_on:%Y-%m-%d}")[:50],
            "subject": gettext("Still waiting for your answer: our request of %(date)s") % {"date": asked},
            "suggested_text": gettext(
                "On %(date)s, %(campaign)s asked you:\n\n%(text)s\n\n"
                "We have not yet had an answer. Please reply, and say what you will do."
            ) % {"date": asked, "campaign": ask.campaign.title, "text": ask.text},
            "guidance": gettext("Say in your own words why an answer matters to you."),
        }

    def clean(self):
        data = super().clean()
        kind, target, campaign = data.get("recipient_kind"), data.get("target"), data.get("campaign")
        if kind == LetterAction.RecipientKind.TARGET:
            if target is None:
                self.add_error("target", _("Choose the institution the letters go to."))
            elif not target.contact_email:
                self.add_error("target", f"“{target.name}” has no contact email yet. Add one in the accountability ledger first.")
            elif campaign is not None and target.organisation_id != campaign.organisation_id:
                self.add_error("target", _("Choose a target of the campaign's own organisation."))
        elif kind == LetterAction.RecipientKind.MP:
            data["target"] = None
        self.fill_slug(data)
        return data
