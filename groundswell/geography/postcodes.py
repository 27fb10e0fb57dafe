"""UK postcodes: normalising and validating their format.

A postcode is an outward code (area letters, district digits, sometimes a letter) and an inward
code (a digit and two letters). People type them in any case, with or without the space, with
extra spaces. We keep one canonical form: upper case, one space before the inward code, e.g.
"GU2 7XX". Format only: whether the postcode exists is the lookup's job (geography data).
"""

import re

_SHAPE = re.compile(
    r"^(?:GIR0AA|"  # Girobank's historic postcode, still valid
    r"[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_NOT_POSTCODE_CHARACTERS = re.compile(r"[\s\-]+")


def normalise_postcode(value: str) -> str:
    """Upper case, one space before the last three characters; no validation."""
    compact = _NOT_POSTCODE_CHARACTERS.sub("", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def is_valid_postcode(value: str) -> bool:
    return bool(_SHAPE.match(_NOT_POSTCODE_CHARACTERS.sub("", value or "").upper()))
