"""The sign form's partner boxes (coalitions, issue 17), kept apart from the rest of the form.

Each partner of the petition's campaign gets its own box, never ticked in advance, with its own
words ("Mind may email me ..."); the words are stored with each yes (PartnerOptIn, a
ConsentStatement). A hidden `source` carries the partner's link (`?source=<slug>`) through the
form; a name that is not one of the campaign's partners is ignored.
"""

from django import forms
from django.utils.translation import gettext

from groundswell.campaigns.queries import cached_partners_of


def partner_wording(partner) -> str:
    return gettext(
        "%(partner)s may email me about this campaign and its own work. "
        "This is optional, and I can stop the emails at any time."
    ) % {"partner": partner.organisation.name}


def checked_source(partners, value) -> object | None:
    """The partner named by a `?source=` value, or None (any other value is ignored)."""
    value = (value or "").strip().lower()[:80]
    return next((partner for partner in partners if partner.slug == value), None) if value else None


class PartnerOptInsMixin:
    """Adds `partner_<id>` boxes and the hidden `source` to a sign form; call `init_partner_fields`."""

    def init_partner_fields(self, petition, source: str = "", partners=None):
        self.partners = partners if partners is not None else cached_partners_of(petition.campaign)
        for partner in self.partners:
            self.fields[f"partner_{partner.pk}"] = forms.BooleanField(label=partner_wording(partner), required=False)
        self.fields["source"] = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput, initial=source)

    @property
    def partner_fields(self):
        return [self[f"partner_{partner.pk}"] for partner in self.partners]

    def partner_opt_ins(self) -> list:
        """[(partner, the words of its box)] for each box ticked (after is_valid())."""
        return [(p, partner_wording(p)) for p in self.partners if self.cleaned_data.get(f"partner_{p.pk}")]

    def source_partner(self):
        return checked_source(self.partners, self.cleaned_data.get("source"))
