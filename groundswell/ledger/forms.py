"""Parsing and validating organisers' ledger input. No writes here: actions save."""

from django import forms
from django.conf import settings
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from groundswell.ledger.documents import validate_document
from groundswell.ledger.models import Ask, ChaseSettings, Commitment, Response, Target, TargetGroup
from groundswell.ledger.pack import nhs_trusts, police_forces

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DOCUMENT_HINT = _("PDF, PNG or JPEG. Anyone who can see this record can download it.")


def _https_urls(field, **kwargs):
    """A link typed without a scheme ("news.example.org/…") is taken to be https."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _explain_attached_document(form):
    """A plain file input (the stored file is never linked from MEDIA_URL, only through the
    checking download view), with a hint saying a document is already attached."""
    if form.instance.pk and form.instance.document:
        form.fields["document"].help_text = (
            "A document is already attached. Choose a file only to replace it (the old one stays in the history). "
            + DOCUMENT_HINT
        )


class _OrganisationChoice:
    """Shows the organisation field only to people who organise with more than one."""

    def _limit_organisations(self, organisations):
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()


class TargetForm(_OrganisationChoice, forms.ModelForm):
    class Meta:
        formfield_callback = _https_urls
        model = Target
        fields = ["organisation", "name", "kind", "reference_code", "contact_email", "nation", "region", "is_public"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nation"].required = False  # England unless said otherwise
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            self._limit_organisations(organisations)

    def clean_nation(self):
        return self.cleaned_data.get("nation") or "ENG"

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation") or getattr(self.instance, "organisation", None)
        name = cleaned.get("name")
        if organisation and name:
            clash = Target.objects.filter(organisation=organisation, name__iexact=name).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", _("Your organisation already has a target with this name."))
        return cleaned


class PackTargetForm(_OrganisationChoice, forms.Form):
    """Pick an NHS trust or a police force from the geography pack."""

    organisation = forms.ModelChoiceField(queryset=None)
    entry = forms.ChoiceField(label=_("Choose one"))

    def __init__(self, *args, organisations, kind, **kwargs):
        kwargs.setdefault("auto_id", f"id_{kind}_%s")  # two of these forms share one page
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self._limit_organisations(organisations)
        entries = nhs_trusts() if kind == Target.Kind.NHS_BODY else police_forces()
        self.fields["entry"].choices = [("", _("Choose…"))] + [(e.choice_value, f"{e.name} ({e.code})") for e in entries]
        self.fields["entry"].label = _("NHS trust") if kind == Target.Kind.NHS_BODY else _("Police force")
        self.available = bool(entries)


class AskForm(forms.ModelForm):
    class Meta:
        formfield_callback = _https_urls
        model = Ask
        fields = ["campaign", "asked_on", "channel", "kind", "deadline_on", "text", "text_cy", "document", "source_url"]
        labels = {"text_cy": _("Welsh text of the ask")}
        widgets = {"asked_on": DATE_INPUT, "deadline_on": DATE_INPUT, "document": forms.FileInput}
        help_texts = {
            "document": DOCUMENT_HINT,
            "kind": gettext_lazy("A freedom of information request or a subject access request gets its legal due date, counted "
                                 "in working days from the date asked."),
            "deadline_on": gettext_lazy("For a campaign ask or a complaint, if you gave one."),
        }

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False  # a campaign ask unless said otherwise
        self.fields["campaign"].queryset = campaigns
        if campaigns.count() == 1:
            self.fields["campaign"].initial = campaigns.first()
        _explain_attached_document(self)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or Ask.Kind.CAMPAIGN

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):  # a new upload, not the stored file
            validate_document(document)
        return document

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text") and not cleaned.get("document") and "text" not in self.errors:
            self.add_error("text", _("Write what was asked, or attach the letter or email as a document."))
        return cleaned


class ResponseForm(forms.ModelForm):
    class Meta:
        formfield_callback = _https_urls
        model = Response
        fields = ["received_on", "channel", "classification", "summary", "summary_cy", "source_url", "document"]
        labels = {"summary_cy": _("Welsh text of the response")}
        widgets = {"received_on": DATE_INPUT, "classification": forms.RadioSelect, "document": forms.FileInput}
        help_texts = {
            "document": DOCUMENT_HINT,
            "source_url": _(
                "A public link to the response (a news report, a published letter). "
                "Give a link or a document, so anyone can check it."
            ),
        }

    def __init__(self, *args, ask, **kwargs):
        super().__init__(*args, **kwargs)
        self.ask = ask
        self.fields["classification"].choices = Response.Classification.choices
        _explain_attached_document(self)

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):
            validate_document(document)
        return document

    def clean(self):
        cleaned = super().clean()
        received_on = cleaned.get("received_on")
        if received_on and received_on < self.ask.asked_on:
            self.add_error("received_on", f"A response cannot come before the ask ({self.ask.asked_on:%-d %B %Y}).")
        if not cleaned.get("source_url") and not cleaned.get("document") and "source_url" not in self.errors:
            self.add_error("source_url", _("Give a link to the response or attach it as a document, so anyone can check it."))
        return cleaned


class CommitmentForm(forms.ModelForm):
    class Meta:
        formfield_callback = _https_urls
        model = Commitment
        fields = ["promise", "promise_cy", "due_on", "status", "evidence", "evidence_url"]
        labels = {"promise_cy": _("Welsh text of the promise")}
        widgets = {"due_on": DATE_INPUT, "status": forms.RadioSelect}
        help_texts = {
            "due_on": _("Leave empty if they gave no date. A pending commitment shows as overdue after this date."),
            "evidence_url": _("A public link showing it was kept or broken."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = Commitment.Status.choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") in {Commitment.Status.KEPT, Commitment.Status.BROKEN}:
            if not cleaned.get("evidence") and not cleaned.get("evidence_url") and "evidence_url" not in self.errors:
                self.add_error("evidence", _("Say how we know it was kept or broken, or give a link, so anyone can check it."))
        return cleaned


class PackGroupForm(_OrganisationChoice, forms.Form):
    """Add every police force, or every NHS trust (of one NHS England region), from the pack."""

    organisation = forms.ModelChoiceField(queryset=None)
    which = forms.ChoiceField(label=gettext_lazy("Add all of"))

    def __init__(self, *args, organisations, **kwargs):
        kwargs.setdefault("auto_id", "id_pack_group_%s")
        kwargs.setdefault("prefix", "group")
        super().__init__(*args, **kwargs)
        self._limit_organisations(organisations)
        choices = []
        if police_forces():
            choices.append(("police_force:", _("Every police force (England, Wales and Scotland)")))
        for region in sorted({e.region for e in nhs_trusts() if e.region}):
            choices.append((f"nhs_body:{region}", _("Every NHS trust in %(region)s") % {"region": region}))
        self.fields["which"].choices = [("", _("Choose…"))] + choices
        self.available = bool(choices)

    def entries(self):
        kind, _sep, region = self.cleaned_data["which"].partition(":")
        entries = police_forces() if kind == "police_force" else nhs_trusts()
        return [e for e in entries if not region or e.region == region]


# --- Sending asks from the platform -------------------------------------------------------------


class BatchAskForm(forms.Form):
    """One ask to several targets: each gets its own thread."""

    campaign = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Campaign"))
    kind = forms.ChoiceField(choices=Ask.Kind.choices, label=gettext_lazy("Kind of ask"), widget=forms.RadioSelect,
                             initial=Ask.Kind.CAMPAIGN,
                             help_text=gettext_lazy("A freedom of information request must be answered within 20 working days; "
                                                    "a subject access request within one calendar month."))
    subject = forms.CharField(max_length=150, label=gettext_lazy("Subject"))
    text = forms.CharField(widget=forms.Textarea, max_length=20_000, label=gettext_lazy("What you ask"),
                           help_text=gettext_lazy("Each target receives these words, with who asks and on whose behalf, "
                                                  "its own private answer link and its own reply address."))
    deadline_on = forms.DateField(required=False, widget=DATE_INPUT, label=gettext_lazy("Answer wanted by"),
                                  help_text=gettext_lazy("For a campaign ask or a complaint. Leave empty to give the number of "
                                                         "working days instead."))
    deadline_days = forms.IntegerField(required=False, min_value=1, max_value=120, label=gettext_lazy("Or: working days to answer"))
    targets = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Send to"),
                                             error_messages={"required": gettext_lazy("Choose at least one target to send the ask to.")})
    save_group = forms.CharField(required=False, max_length=100, label=gettext_lazy("Save these targets as a group (optional)"),
                                 help_text=gettext_lazy("A name, to choose the same targets again next time."))

    def __init__(self, *args, campaigns, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        if campaigns.count() == 1:
            self.fields["campaign"].initial = campaigns.first()
        self.fields["targets"].queryset = targets.exclude(contact_email="")
        self.fields["targets"].label_from_instance = lambda t: f"{t.name} ({t.get_kind_display()}{', ' + t.region if t.region else ''})"

    def clean(self):
        cleaned = super().clean()
        campaign, targets = cleaned.get("campaign"), cleaned.get("targets")
        if campaign and targets:
            if any(t.organisation_id != campaign.organisation_id for t in targets):
                self.add_error("targets", _("Choose targets of the campaign's own organisation."))
        deadline = cleaned.get("deadline_on")
        if deadline and deadline <= timezone.localdate():
            self.add_error("deadline_on", _("Give a date after today."))
        if cleaned.get("kind") in (Ask.Kind.FOI, Ask.Kind.SAR):
            cleaned["deadline_on"], cleaned["deadline_days"] = None, None  # the law sets these
        return cleaned


class ChooseTargetsForm(forms.Form):
    """Ticks every target of a kind, a region, a nation or a saved group (a GET form, no script)."""

    kind = forms.ChoiceField(required=False, choices=[("", gettext_lazy("Any kind"))] + Target.Kind.choices, label=gettext_lazy("Kind of target"))
    region = forms.ChoiceField(required=False, label=gettext_lazy("Region"))
    nation = forms.ChoiceField(required=False, label=gettext_lazy("Nation"),
                               choices=[("", gettext_lazy("Any nation"))] + Target._meta.get_field("nation").choices)
    group = forms.ModelChoiceField(required=False, queryset=None, label=gettext_lazy("Saved group"), empty_label=gettext_lazy("None"))

    def __init__(self, *args, targets, organisations, **kwargs):
        kwargs.setdefault("auto_id", "choose_%s")
        super().__init__(*args, **kwargs)
        regions = sorted({r for r in targets.values_list("region", flat=True) if r})
        self.fields["region"].choices = [("", _("Any region"))] + [(r, r) for r in regions]
        self.fields["group"].queryset = TargetGroup.objects.filter(organisation__in=organisations)

    def chosen(self, targets):
        if not self.is_valid() or not any(self.cleaned_data.values()):
            return []
        data = self.cleaned_data
        if data.get("group"):
            targets = targets.filter(groups=data["group"])
        if data.get("kind"):
            targets = targets.filter(kind=data["kind"])
        if data.get("region"):
            targets = targets.filter(region=data["region"])
        if data.get("nation"):
            targets = targets.filter(nation=data["nation"])
        return list(targets.values_list("pk", flat=True))


class ChaseSettingsForm(forms.ModelForm):
    class Meta:
        model = ChaseSettings
        fields = ["enabled", "campaign_ask_days", "interval_days", "max_chasers"]

    def clean_max_chasers(self):
        value = self.cleaned_data["max_chasers"]
        if value > 10:
            raise forms.ValidationError(_("Ten chasers at most: more would be harassment, not a reminder."))
        return value

    def clean_interval_days(self):
        value = self.cleaned_data["interval_days"]
        if value < 1:
            raise forms.ValidationError(_("At least one day between chasers."))
        return value


# --- The institution answers (its private link) and organisers publish ----------------------

ANSWER_MAX_CHARACTERS = 20_000


class AnswerForm(forms.Form):
    """What an institution sends through its private link. Only ever a draft for organisers."""

    text = forms.CharField(
        widget=forms.Textarea, label=gettext_lazy("Your answer"), max_length=ANSWER_MAX_CHARACTERS,
        error_messages={
            "required": gettext_lazy("Write your answer, or a short note if it is in the attached document."),
            "max_length": gettext_lazy("Your answer is longer than %(limit_value)d characters (it has %(show_value)d). "
                                       "Attach it as a PDF document instead, with a short note here."),
        },
    )
    document = forms.FileField(required=False, label=gettext_lazy("A document (optional)"), widget=forms.FileInput,
                               help_text=gettext_lazy("A PDF file."))
    commitment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2_000,
                                 label=gettext_lazy("What you commit to (optional)"))
    commitment_due_on = forms.DateField(required=False, widget=DATE_INPUT, label=gettext_lazy("By when (optional)"),
                                        error_messages={"invalid": gettext_lazy("Enter a date, for example 14 May 2027.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _("A PDF file, up to %(size)s.") % {"size": filesizeformat(settings.LEDGER_DOCUMENT_MAX_BYTES)}

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document:
            return None
        limit = settings.LEDGER_DOCUMENT_MAX_BYTES
        if document.size > limit:
            raise forms.ValidationError(_("This file is %(size)s; the largest we accept is %(limit)s. Send a smaller file, or reply "
                                          "to our email with it attached.") % {"size": filesizeformat(document.size), "limit": filesizeformat(limit)})
        document.seek(0)
        head = document.read(5)
        document.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("This file is not a PDF. Save it as a PDF and try again, or reply to our email with it attached."))
        return document

    def clean_commitment_due_on(self):
        due_on = self.cleaned_data.get("commitment_due_on")
        if due_on and due_on < timezone.localdate():
            raise forms.ValidationError(_("This date has passed. Give the date by which you will do it, from today on."))
        return due_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("commitment_due_on") and not cleaned.get("commitment") and "commitment" not in self.errors:
            self.add_error("commitment", _("Say what you commit to do by that date."))
        return cleaned


class PublishReplyForm(forms.Form):
    classification = forms.ChoiceField(choices=Response.Classification.choices, widget=forms.RadioSelect,
                                       label=gettext_lazy("How do you classify this answer?"))
    summary = forms.CharField(widget=forms.Textarea, max_length=5_000, label=gettext_lazy("Summary"),
                              help_text=gettext_lazy("What they said, fairly summarised. The original is published beside it."))
    promise = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("What they promised (optional)"))
    due_on = forms.DateField(required=False, widget=DATE_INPUT, label=gettext_lazy("Promised by (optional)"))
    publish_document = forms.BooleanField(required=False, initial=True, label=gettext_lazy("Publish their PDF document with it"))
