"""What the operations app stores: one heartbeat row per running task worker."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A task worker saying "I am alive". Kept in the database because every web process on every
    machine can read it there (a per-process cache could not tell one machine about another's workers).
    Holds no personal data: a host name and a process id."""

    worker = models.CharField(max_length=200, unique=True, help_text=_("host:pid of the worker process"))
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker} (last seen {self.last_seen_at:%Y-%m-%d %H:%M:%S})"
