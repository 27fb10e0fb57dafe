"""Thresholds with consequences: "at 10,000 signatures we hand it to NHS England and ask for a
response within 20 working days". Reaching one creates the ask on the ledger, exactly once.

handin is a feature above petitions and the ledger, which are siblings and never import each
other: it joins a petition's count to a ledger target (docs/architecture.md, "Thresholds").
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.ledger.models import Ask, Target
from groundswell.petitions.models import Petition


class Threshold(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="thresholds")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="petition_thresholds")
    signatures = models.PositiveIntegerField(_("At this many signatures"))
    ask_text = models.TextField(
        _("What we will do and ask"), max_length=1000,
        help_text=_("For example: “We hand the petition to NHS England and ask for a response within 20 working days.” "
                    "It becomes the ask on the ledger."),
    )
    response_working_days = models.PositiveSmallIntegerField(_("Response asked within (working days)"), null=True, blank=True)
    notify_signers = models.BooleanField(
        _("Tell signers who asked for news"), default=False,
        help_text=_("Email the signers who opted in to hear from the campaign when it is reached."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Set once, by the conditional UPDATE in actions.check_thresholds (the guard).
    reached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["petition", "signatures"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "target", "signatures"], name="handin_one_threshold_per_number"),
            models.CheckConstraint(condition=models.Q(signatures__gt=0), name="handin_threshold_above_zero"),
        ]

    def __str__(self):
        return f"{self.signatures} → {self.target}"


class Crossing(models.Model):
    """The moment a threshold was reached, and the ledger ask it created. One per threshold (the
    unique constraint), written in the same transaction as the ask: a second can never commit."""

    threshold = models.OneToOneField(Threshold, on_delete=models.CASCADE, related_name="crossing")
    ask = models.OneToOneField(Ask, on_delete=models.PROTECT, related_name="petition_crossing")
    count = models.PositiveIntegerField(help_text=_("The count when it was reached."))
    reached_at = models.DateTimeField(default=timezone.now)
