"""Forms moderators fill in."""

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from groundswell.protection.models import RateLimits
from groundswell.core.networks import parse_network


class RateLimitsForm(forms.ModelForm):
    class Meta:
        model = RateLimits
        fields = [
            "ip_burst_limit", "ip_burst_seconds", "ip_hourly_limit", "network_hourly_limit",
            "email_domain_hourly_limit", "common_email_domains",
        ]
        widgets = {"common_email_domains": forms.Textarea(attrs={"rows": 3})}

    LIMIT_FIELDS = ["ip_burst_limit", "ip_hourly_limit", "network_hourly_limit", "email_domain_hourly_limit"]
    MAX_LIMIT = 1_000_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's own words ("Ensure this value is less than or equal to 9223372036854775807")
        # are about the database, not the limit; a huge number is refused the same kind way.
        message = _("Enter a whole number from 0 to %(max)s.") % {"max": intcomma(self.MAX_LIMIT)}
        for name in self.LIMIT_FIELDS:
            field = self.fields[name]
            field.validators.append(MaxValueValidator(self.MAX_LIMIT))
            field.widget.attrs["max"] = self.MAX_LIMIT
            field.error_messages.update({"invalid": message, "min_value": message, "max_value": message})
        self.fields["ip_burst_seconds"].error_messages.update(
            {key: _("Enter a number of seconds from 1 to 3600.") for key in ("invalid", "min_value", "max_value")}
        )

    def clean_ip_burst_seconds(self):
        value = self.cleaned_data["ip_burst_seconds"]
        if not 1 <= value <= 3600:
            raise forms.ValidationError(_("Enter a number of seconds from 1 to 3600."))
        return value


class InvalidationForm(forms.Form):
    network = forms.CharField(
        label=_("IP range"), required=False, max_length=49,
        help_text=_("An address or a range in CIDR form, for example 203.0.113.0/24 or 2001:db8:1::/48."),
    )
    email_domain = forms.CharField(label=_("Email domain"), required=False, max_length=254, help_text=_("For example throwaway.example (its subdomains match too)."))
    since = forms.DateTimeField(
        label=_("Signed from"), required=False, help_text=_("Date and time, for example 2026-11-22 01:00."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    until = forms.DateTimeField(
        label=_("Signed before"), required=False, help_text=_("Date and time, for example 2026-11-22 02:00."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    constituency_code = forms.CharField(label=_("Constituency code"), required=False, max_length=9, help_text=_("For example E14001234."))

    def clean_network(self):
        value = self.cleaned_data["network"].strip()
        if value:
            try:
                return str(parse_network(value))
            except ValueError:
                raise forms.ValidationError(_("Enter an IP address or a range like 203.0.113.0/24.")) from None
        return value

    def clean_email_domain(self):
        return self.cleaned_data["email_domain"].strip().lower().lstrip("@")

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in self.fields):
            raise forms.ValidationError(_("Fill in at least one thing to match, so that not every signature is removed."))
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until <= since:
            self.add_error("until", _("“Signed before” must be after “Signed from”."))
        return cleaned

    def criteria(self) -> dict:
        data = self.cleaned_data
        return {
            "network": data.get("network") or "",
            "email_domain": data.get("email_domain") or "",
            "since": data["since"].isoformat() if data.get("since") else "",
            "until": data["until"].isoformat() if data.get("until") else "",
            "constituency_code": (data.get("constituency_code") or "").strip().upper(),
        }
