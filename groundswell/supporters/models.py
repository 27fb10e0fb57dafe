"""Records of what supporters agreed to, word for word, and their requests for their own data."""

import hashlib
import uuid

from django.core.cache import caches
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentStatement(models.Model):
    """The exact words a supporter was shown when they gave consent.

    Each distinct wording is stored once (keyed by its hash) and every consent points at it, so
    the record of what someone agreed to survives later edits to the wording, and is kept for as
    long as the data it covers.
    """

    class Purpose(models.TextChoices):
        RECORD_SIGNATURE = "record_signature", _("Record a signature")
        CAMPAIGN_UPDATES = "campaign_updates", _("Hear from the campaign")
        GIVE_NAME_TO_RECIPIENT = "give_name_to_recipient", _("Give my name to the petition's recipient")
        PARTNER_UPDATES = "partner_updates", _("Hear from a partner organisation")

    purpose = models.CharField(max_length=40, choices=Purpose.choices)
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64, unique=True)
    first_shown_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.text[:60]}"

    @classmethod
    def for_text(cls, *, purpose: str, text: str) -> "ConsentStatement":
        """The stored statement for these words, created the first time they are shown.

        Every signature asks, so the id of a statement already stored is remembered (in this
        process's memory, for an hour: statements never change); one created just now is not, as
        its transaction might still roll back."""
        digest = hashlib.sha256(f"{purpose}\n{text}".encode()).hexdigest()
        key = f"consent-statement:{digest}"
        known = caches["local"].get(key)
        if known is not None:
            return cls(pk=known, purpose=purpose, text=text, text_sha256=digest)
        statement, created = cls.objects.get_or_create(text_sha256=digest, defaults={"purpose": purpose, "text": text})
        if not created:
            caches["local"].set(key, statement.pk, 3600)
        return statement


class DataLink(models.Model):
    """A supporter's request for a link to their own data.

    The emailed link carries only this row's random id (signed: supporters/tokens.py), never the
    address. The row holds the address for as long as the link works (SUPPORTER_DATA_LINK_HOURS),
    then housekeeping deletes it (supporters/actions.py forget_expired_data_links).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(max_length=254)
    email_normalised = models.CharField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"Data link {self.public_id}"
