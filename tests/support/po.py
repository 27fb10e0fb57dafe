"""A small reader for the gettext catalogues (.po files) makemessages writes, for the tests that
keep the Welsh catalogue complete. Enough of the format for our files: comments, flags, msgctxt,
msgid, msgid_plural and msgstr / msgstr[n], each possibly continued on following lines."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    locations: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


def read_po(path: Path) -> list[Entry]:
    entries, entry, key = [], Entry(), None

    def finish():
        nonlocal entry, key
        if entry.msgid or entry.msgstr or entry.msgid_plural:
            entries.append(entry)
        entry, key = Entry(), None

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            if key is not None and key != "comment":
                finish()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            key = "comment"
            continue
        if line.startswith("#:"):
            if key is not None and key != "comment":
                finish()
            entry.locations += line[2:].split()
            key = "comment"
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            word, _space, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if word == "msgctxt" or (word == "msgid" and key not in (None, "comment", "msgctxt")):
                if key not in (None, "comment", "msgctxt"):
                    finish()
            key = word
            if word.startswith("msgstr["):
                key = ("msgstr", int(word[7:-1]))
            elif word == "msgstr":
                key = ("msgstr", 0)
            value = value
            _store(entry, key, value, new=True)
            continue
        _store(entry, key, value, new=False)
    finish()
    return entries


def _store(entry: Entry, key, value: str, *, new: bool) -> None:
    if isinstance(key, tuple):
        entry.msgstr[key[1]] = (entry.msgstr.get(key[1], "") if not new else "") + value
    elif key == "msgid":
        entry.msgid = (entry.msgid if not new else "") + value
    elif key == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural if not new else "") + value
    elif key == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "" if not new else "") + value
