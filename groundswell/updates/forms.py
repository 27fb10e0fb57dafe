"""What organisers type for an update, and the supporter's unsubscribe choice. No writes here."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groundswell.campaigns.models import Campaign
from groundswell.core.widgets import LongSelect
from groundswell.geography.queries import constituency_choices
from groundswell.petitions.models import Petition
from groundswell.updates import calls_to_action, emails
from groundswell.updates.models import Update, UpdatesSettings

MAX_BODY_CHARACTERS = 20_000


class AudienceForm(forms.ModelForm):
    """Who gets the update: the organisation's supporters who asked for news, narrowed."""

    class Meta:
        model = Update
        fields = ["organisation", "campaign", "audience_petition", "audience_nation", "audience_constituency", "audience_mp_not_replied"]
        labels = {
            "organisation": _("From"),
            "campaign": _("Campaign"),
            "audience_petition": _("People who signed this petition"),
            "audience_nation": _("People in this nation"),
            "audience_constituency": _("People in this constituency"),
            "audience_mp_not_replied": _("Only people whose MP has not replied to their letters"),
        }
        help_texts = {
            "campaign": _("The update is about this campaign: it goes to its supporters, and they can stop hearing about it. Leave it empty for news of the whole organisation."),
            "audience_petition": _("Optional."),
            "audience_nation": _("Optional: from the constituency each supporter gave."),
            "audience_mp_not_replied": _("From the answers supporters gave to “Did you get a reply?” after writing to their MP."),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        self.fields["organisation"].error_messages["invalid_choice"] = _("Choose one of your organisations.")
        self.fields["campaign"].queryset = Campaign.objects.filter(organisation__in=organisations)
        self.fields["campaign"].empty_label = _("All the organisation's supporters")
        self.fields["campaign"].error_messages["invalid_choice"] = _("Choose one of your organisation's campaigns.")
        petitions = Petition.objects.filter(campaign__organisation__in=organisations).select_related("campaign")
        self.fields["audience_petition"].queryset = petitions
        self.fields["audience_petition"].empty_label = _("Any petition")
        self.fields["audience_petition"].error_messages["invalid_choice"] = _("Choose one of your organisation's petitions.")
        self.fields["audience_nation"].choices = [("", _("All nations"))] + list(Update.Nation.choices)
        self.fields["audience_constituency"] = forms.ChoiceField(
            label=_("People in this constituency"), required=False,
            choices=[("", _("All constituencies"))] + constituency_choices(), widget=LongSelect,
            error_messages={"invalid_choice": _("Choose a constituency from the list.")},
        )

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        campaign, petition = cleaned.get("campaign"), cleaned.get("audience_petition")
        if organisation and campaign and campaign.organisation_id != organisation.pk:
            self.add_error("campaign", _("Choose a campaign of the organisation the update is from."))
        if organisation and petition and petition.campaign.organisation_id != organisation.pk:
            self.add_error("audience_petition", _("Choose a petition of the organisation the update is from."))
        elif campaign and petition and petition.campaign_id != campaign.pk:
            self.add_error("audience_petition", _("Choose a petition of the campaign you chose, or no campaign."))
        return cleaned


def _merge_field_errors(text: str) -> list[str]:
    unknown = emails.unknown_merge_fields(text)
    if not unknown:
        return []
    names = ", ".join(f"{{{name}}}" for name in unknown)
    return [
        ngettext(
            "%(names)s is not a merge field. Use {first_name}, {constituency} or {mp_name}.",
            "%(names)s are not merge fields. Use {first_name}, {constituency} or {mp_name}.",
            len(unknown),
        ) % {"names": names}
    ]


class ContentForm(forms.ModelForm):
    class Meta:
        model = Update
        fields = ["subject", "body_markdown", "call_to_action"]

    subject = forms.CharField(
        label=_("Subject"), max_length=150,
        help_text=_("What people see in their inbox. Merge fields work here too."),
        error_messages={"required": _("Enter a subject."), "max_length": _("The subject must be 150 characters or fewer.")},
    )
    body_markdown = forms.CharField(
        label=_("Message"), max_length=MAX_BODY_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown: a blank line starts a paragraph, **bold**, *italics*, [a link](https://example.org), "
            "- for a list, ## for a heading. Merge fields: {first_name}, {constituency}, {mp_name} "
            "(“friend”, “your constituency” and “your MP” when we do not know them)."
        ),
        error_messages={
            "required": _("Write the message."),
            "max_length": _("The message must be %(limit_value)s characters or fewer (it has %(show_value)s)."),
        },
    )
    call_to_action = forms.ChoiceField(label=_("Call to action"), required=False, help_text=_("A button under the message. Optional."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call_to_action"].choices = [("", _("No button"))] + calls_to_action.choices_for(self.instance.organisation)
        self.fields["call_to_action"].error_messages["invalid_choice"] = _("Choose one of your organisation's petitions or letter-writing actions.")

    def clean_subject(self):
        subject = emails.one_line(self.cleaned_data["subject"])
        if not subject:
            raise forms.ValidationError(_("Enter a subject."))
        errors = _merge_field_errors(subject)
        if errors:
            raise forms.ValidationError(errors)
        return subject

    def clean_body_markdown(self):
        body = self.cleaned_data["body_markdown"].replace("\r\n", "\n")
        if not body.strip():
            raise forms.ValidationError(_("Write the message."))
        problems = _merge_field_errors(body)
        if emails.raw_html_in(body):
            problems.append(_("Write the message in Markdown: HTML such as <script>, <img> or onclick=… is not allowed in an update."))
        bad = emails.unsafe_links(body)
        if bad:
            problems.append(_("Links must start with https://, http:// or mailto: (not %(link)s).") % {"link": bad[0][:60]})
        if problems:
            raise forms.ValidationError(problems)
        return body


class SendForm(forms.Form):
    NOW, LATER = "now", "later"
    when = forms.ChoiceField(
        label=_("When"), choices=[(NOW, _("Send now")), (LATER, _("Send at a time I choose"))], initial=NOW,
        widget=forms.RadioSelect, error_messages={"required": _("Choose when to send it."), "invalid_choice": _("Choose when to send it.")},
    )
    send_at = forms.DateTimeField(
        label=_("Send at"), required=False, help_text=_("Date and time, for example 2026-12-24 09:00."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"invalid": _("Enter a date and time, for example 2026-12-24 09:00.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["send_at"].conditional = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == self.LATER:
            send_at = cleaned.get("send_at")
            if send_at is None and "send_at" not in self.errors:
                self.add_error("send_at", _("Enter the date and time to send it, or choose “Send now”."))
            elif send_at is not None and send_at <= timezone.now():
                self.add_error("send_at", _("That time has passed: choose a time in the future, or choose “Send now”."))
        else:
            cleaned["send_at"] = None
        return cleaned


class SettingsForm(forms.ModelForm):
    class Meta:
        model = UpdatesSettings
        fields = ["reply_to", "require_approval"]


class UnsubscribeForm(forms.Form):
    CAMPAIGN, EVERYTHING = "campaign", "everything"
    what = forms.ChoiceField(
        label=_("What should we stop?"), widget=forms.RadioSelect,
        error_messages={"required": _("Choose which emails to stop."), "invalid_choice": _("Choose which emails to stop.")},
    )

    def __init__(self, *args, organisation_name: str, campaign_title: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if campaign_title:
            choices.append((self.CAMPAIGN, _("Emails about “%(campaign)s” only") % {"campaign": campaign_title}))
        choices.append((self.EVERYTHING, _("Every email from %(organisation)s") % {"organisation": organisation_name}))
        self.fields["what"].choices = choices
        self.fields["what"].initial = self.EVERYTHING
