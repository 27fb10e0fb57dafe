"""Parsing and validating organisers' ledger input. No writes here: actions save."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from groundswell.ledger.documents import validate_document
from groundswell.ledger.models import Ask, Commitment, Response, Target
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
        fields = ["organisation", "name", "kind", "reference_code", "contact_email", "is_public"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            self._limit_organisations(organisations)

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
        fields = ["campaign", "asked_on", "channel", "text", "text_cy", "document", "source_url"]
        labels = {"text_cy": _("Welsh text of the ask")}
        widgets = {"asked_on": DATE_INPUT, "document": forms.FileInput}
        help_texts = {"document": DOCUMENT_HINT}

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        if campaigns.count() == 1:
            self.fields["campaign"].initial = campaigns.first()
        _explain_attached_document(self)

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
