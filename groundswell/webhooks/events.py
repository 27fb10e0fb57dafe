"""The events an organisation's endpoints can receive. Each app that emits one registers it here
from its AppConfig.ready() (petitions: signature.confirmed; letters: letter.sent), so this shared
app names none of them. Names other helpers' apps will use are listed in docs/api.md."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    name: str
    description: str


_EVENTS: dict[str, Event] = {}
# Who is told when an endpoint is paused: given an organisation id, its owners' addresses.
# Registered by an app above accounts (groundswell/api), as webhooks may not import accounts.
_OWNER_ADDRESSES: list[Callable[[int], list[str]]] = []


def register(name: str, description: str) -> Event:
    event = Event(name, description)
    _EVENTS[name] = event
    return event


def known() -> dict[str, Event]:
    return dict(sorted(_EVENTS.items()))


def set_owner_addresses(find: Callable[[int], list[str]]) -> None:
    _OWNER_ADDRESSES[:] = [find]


def owner_addresses(organisation_id: int) -> list[str]:
    return _OWNER_ADDRESSES[0](organisation_id) if _OWNER_ADDRESSES else []
