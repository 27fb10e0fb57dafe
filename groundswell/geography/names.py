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
