from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.handin.models import Threshold
from groundswell.ledger.models import Target


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = Threshold
        fields = ["signatures", "target", "ask_text", "response_working_days", "notify_signers"]
        widgets = {"ask_text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "signatures": {"required": _("Enter the number of signatures."), "invalid": _("Enter a whole number, like 10000."),
                           "min_value": _("Enter a number above zero.")},
            "target": {"required": _("Choose who it is handed to (a target on the ledger)."),
                       "invalid_choice": _("Choose a target from the list.")},
            "ask_text": {"required": _("Say what you will do and ask when it is reached.")},
        }

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.petition = petition
        self.fields["target"].queryset = Target.objects.filter(organisation_id=petition.campaign.organisation_id)
        self.fields["target"].label = _("Handed to")
        self.fields["target"].help_text = _("A target on your ledger. Add one on the ledger pages first if it is not listed.")

    def clean_signatures(self):
        value = self.cleaned_data["signatures"]
        if value is not None and value < 1:
            raise forms.ValidationError(_("Enter a number above zero."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") and cleaned.get("signatures") and Threshold.objects.filter(
            petition=self.petition, target=cleaned["target"], signatures=cleaned["signatures"]
        ).exists():
            raise forms.ValidationError(_("This petition already has that threshold for that target."))
        return cleaned
