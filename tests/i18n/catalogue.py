"""The Welsh catalogue as the tests read it: its entries, which of them public pages use, and the
English words of our own msgids that must never show on a Welsh page."""

import functools
import re
from pathlib import Path

import groundswell
from tests.support.po import read_po

LOCALE = Path(groundswell.__file__).parent / "locale"
WELSH_PO = LOCALE / "cy" / "LC_MESSAGES" / "django.po"

# Source files only organisers, moderators and staff read (`#: ` locations in the catalogue,
# relative to the package). Everything else is public: supporters read it.
ORGANISER_ONLY = (
    "accounts/", "moderation/", "campaigns/forms.py", "campaigns/views.py", "campaigns/models.py",
    "campaigns/templates/campaigns/edit.html", "composition/templates/composition/organise.html",
    "ledger/organise.py", "ledger/forms.py", "ledger/emails.py", "ledger/documents.py", "ledger/templates/ledger/organise/",
    "ledger/templates/ledger/emails/", "letters/templates/letters/organise.html", "letters/templates/letters/edit.html",
    "petitions/templates/petitions/edit.html", "protection/models.py", "operations/", "core/models.py",
)


@functools.cache
def welsh_entries():
    return [entry for entry in read_po(WELSH_PO) if entry.msgid]


def is_public(entry) -> bool:
    return any(not location.startswith(ORGANISER_ONLY) for location in entry.locations)


def english_phrases(entry) -> list[str]:
    """The literal English runs of a msgid (placeholders and markup cut out) long enough that
    seeing one on a page means the string was not translated: four words or more."""
    phrases = []
    for text in filter(None, (entry.msgid, entry.msgid_plural)):
        text = re.sub(r"<[^>]+>", " ", text)
        for run in re.split(r"%\(\w+\)[sd]|%%|[“”\"()]", text):
            run = " ".join(run.split()).strip(" .,:;·—-")
            if len(run.split()) >= 3:
                phrases.append(run)
    return phrases
