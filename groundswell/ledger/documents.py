"""Checking uploaded documents before they are stored.

Only PDF, PNG and JPEG are accepted, recognised by their first bytes as well as their name (a
renamed HTML or script file is refused), up to LEDGER_DOCUMENT_MAX_BYTES. They are stored under
MEDIA_ROOT with a random name and only ever served as downloads by a view that checks the record
is public or belongs to the organiser's organisation (views.download_document).
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ALLOWED_TYPES = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
}


def content_type_for(name: str) -> str:
    return ALLOWED_TYPES.get(PurePath(name).suffix.lower(), (b"", "application/octet-stream"))[1]


def validate_document(upload) -> None:
    limit = settings.LEDGER_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _(
                "This file is %(size)s; the largest we accept is %(limit)s. "
                "Try a smaller scan, or link to the document instead."
            ) % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise ValidationError(_("Upload a PDF, PNG or JPEG file. For other documents, link to them instead."))
    magic, _kind = ALLOWED_TYPES[suffix]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(_("This file does not look like a %(kind)s file. Check it opens, then try again.") % {"kind": suffix.lstrip(".").upper()})
