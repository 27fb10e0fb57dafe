"""The record of what moderators did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groundswell.petitions.models import Petition


class ModerationRecord(models.Model):
    """Every bulk invalidation and every restore: who, when, on what criteria, how many.

    An invalidation runs as a background task; `processed` and `state` are its progress.
    """

    class Kind(models.TextChoices):
        INVALIDATE = "invalidate", _("Invalidation")
        RESTORE = "restore", _("Restore")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    moderator_email = models.CharField(max_length=254, blank=True, help_text=_("Kept if the moderator's account is deleted."))
    criteria = models.JSONField(default=dict)
    description = models.TextField(blank=True)
    expected = models.PositiveIntegerField(default=0, help_text=_("How many signatures matched when it was asked for."))
    processed = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0, help_text=_("Signatures invalidated (or restored)."))
    count_change = models.IntegerField(default=0, help_text=_("How much the petition's count went down (or up)."))
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table was made when this model lived in the protection app; it stays where it is.
        db_table = "protection_moderationrecord"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.petition_id} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent_done(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, int(100 * self.processed / self.expected)) if self.expected else 0
