"""What changed between two versions of a petition's text: a word-by-word diff (difflib)."""

import difflib
import re

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op "same", "removed" or "added", word by word (spaces kept), for a
    template to show with <del> and <ins>. Text is not escaped here: the template escapes it."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                parts.append(("removed", "".join(a[i1:i2])))
            if j2 > j1:
                parts.append(("added", "".join(b[j1:j2])))
    return parts


def version_changes(versions) -> list[dict]:
    """Each version, newest first, with the diff of its title and ask against the one before."""
    changes = []
    previous = None
    for version in versions:
        entry = {"version": version, "title_diff": None, "ask_diff": None}
        if previous is not None:
            if previous.title != version.title:
                entry["title_diff"] = word_diff(previous.title, version.title)
            if previous.ask != version.ask:
                entry["ask_diff"] = word_diff(previous.ask, version.ask)
        changes.append(entry)
        previous = version
    return list(reversed(changes))

