"""Reading a row id typed into a query string or a form, without a 500.

`"²".isdigit()` is True but `int("²")` fails, `int()` refuses more than 4,300 digits, and SQLite
cannot hold an integer past 2**63: each was a 500 from `int(request.GET["…"])`.
"""

MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A positive database id from text, or None if the text is not one."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
