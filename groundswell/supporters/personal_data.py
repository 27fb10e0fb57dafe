"""What each app holds about a supporter, found by their normalised email address.

The supporter's own-data pages (supporters/views.py) show it, download it and delete it without
knowing which apps hold it: each app that keeps personal data about supporters registers a
source here, from its AppConfig.ready() (petitions: signatures; letters: letters). So
`supporters`, a shared app, imports none of the features built on it, and a new feature that
keeps personal data adds a source, not a change here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    name: str  # the key in the download and on the pages: "signatures", "letters"
    held_about: Callable[[str], list[dict]]  # everything held, as the page shows and the JSON carries it
    erase: Callable[[str], int]  # delete (or erase) it all; returns how many records
    # Of these addresses, the ones it holds anything about, in one query: a worker sending a
    # batch of data-link emails asks this once for the batch, not once per email (asking each
    # address with `held_about` cost two thirds of a data link's sending time).
    holders: Callable[[set[str]], set[str]]


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    _SOURCES[source.name] = source
    return source


def held_about(email_normalised: str) -> dict[str, list[dict]]:
    return {name: source.held_about(email_normalised) for name, source in _SOURCES.items()}


def addresses_holding(emails_normalised: Iterable[str]) -> set[str]:
    """Which of these addresses any source holds anything about (a query per source)."""
    wanted = {email for email in emails_normalised if email}
    found: set[str] = set()
    for source in _SOURCES.values():
        rest = wanted - found
        if not rest:
            break
        found |= source.holders(rest)
    return found


def erase_all(email_normalised: str) -> dict[str, int]:
    """Erase everything every source holds. Call it inside one transaction."""
    return {name: source.erase(email_normalised) for name, source in _SOURCES.items()}
