"""Sorting people by family name, as lists of MPs are read ("Abbott, Diane"), from one name field.

The geography pack, like the Parliament Members API's `nameDisplayAs` it comes from, has one name
per member with its honorifics ("Sir Iain Duncan Smith", "Dr Rupa Huq", "Ms Diane Abbott"), and no
separate family name. Sorting that field sorts by title and first name. So the honorifics and
letters after the name are left out, and the family name is the last word with any particles
before it ("van Mierlo"). A double-barrelled name with a hyphen is one word ("Allin-Khan"); one
written with a space ("Duncan Smith") sorts by its last part: the pack cannot tell them apart.
"""

import functools
import unicodedata

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

HONORIFICS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "baroness", "baron",
    "rt", "right", "hon", "honourable", "the", "rev", "revd", "reverend", "prof", "professor",
}
POST_NOMINALS = {"mp", "kc", "qc", "obe", "cbe", "mbe", "kbe", "dbe", "pc", "frs", "jp"}
PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "le", "la", "ap", "ab", "bin", "ibn", "st"}


def _plain(word: str) -> str:
    """Case- and accent-free, without full stops: "Zöe" -> "zoe", "Rt." -> "rt"."""
    decomposed = unicodedata.normalize("NFKD", word.replace(".", "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=4096)
def family_name_sort_key(name: str) -> str:
    """A key that sorts a name by family name, then given names, ignoring titles and case."""
    words = [w for w in name.replace(",", " ").split() if _plain(w)]
    while words and _plain(words[0]) in HONORIFICS and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and _plain(words[-1]) in POST_NOMINALS:
        words = words[:-1]
    if not words:
        return ""
    start = len(words) - 1
    while start > 1 and _plain(words[start - 1]) in PARTICLES and words[start - 1][:1].islower():
        start -= 1
    family, given = words[start:], words[:start]
    return " ".join(_plain(w) for w in family) + "\t" + " ".join(_plain(w) for w in given)


# --- Names in the page's language ------------------------------------------------------------
# The pack gives each constituency an English and (for Wales, where one exists) a Welsh name.
# Pages show the name in the page's language; open data (JSON, CSV) keeps the English `name`.

NATION_NAMES = {
    "England": _("England"),
    "Scotland": _("Scotland"),
    "Wales": _("Wales"),
    "Northern Ireland": _("Northern Ireland"),
    "UK, constituency not known": _("UK, constituency not known"),
    "Outside the UK": _("Outside the UK"),
}


def nation_name(nation: str) -> str:
    """A nation's name (as stored, in English) in the page's language."""
    return str(NATION_NAMES.get(nation, nation))


def local_name(row: dict) -> str:
    """A constituency's name in the page's language: the Welsh name on Welsh pages when it has one."""
    if (get_language() or "").startswith("cy") and row.get("name_cy"):
        return row["name_cy"]
    return row.get("name", "")


def other_name(row: dict) -> tuple[str, str] | None:
    """(the name in the other language, its language code), when it differs from local_name."""
    name, name_cy = row.get("name", ""), row.get("name_cy") or ""
    if not name_cy or name_cy == name:
        return None
    if (get_language() or "").startswith("cy"):
        return name, "en-GB"
    return name_cy, "cy"
