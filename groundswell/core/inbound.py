"""Mail that comes in, other than bounces: which app takes it, by the address it was sent to.

Apps offer reply addresses of the form <prefix>+<token>@<bounce domain> (the ledger: each ask's
`answer+…` address) and register a handler for their prefix from their AppConfig.ready(); core
knows none of them. `groundswell mail receive` reads one message on stdin and routes it: a
bounce or complaint to core/bounces.py, a reply to the handler of its address's prefix, and
anything else, or anything a handler cannot take, into `InboundEmail`, kept whole for staff. It
never raises: the mail server would otherwise bounce the message back to its sender.
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from groundswell.core.models import InboundEmail

logger = logging.getLogger("groundswell.mail")

MAX_KEPT_BYTES = 40 * 1024 * 1024  # what we keep of one message: more than any mail server takes


class Unmatched(Exception):
    """A handler's way to say: this is not for me after all (a forged or stale token)."""


@dataclass(frozen=True)
class Handler:
    prefix: str
    # handle(message, raw, token, recipient) -> a short description of what was done
    handle: Callable[..., str]


_HANDLERS: dict[str, Handler] = {}


def register(prefix: str, handle: Callable[..., str]) -> Handler:
    handler = Handler(prefix.lower(), handle)
    _HANDLERS[handler.prefix] = handler
    return handler


def handlers() -> dict[str, Handler]:
    return dict(_HANDLERS)


_ADDRESS = re.compile(r"([a-z0-9_-]+)\+([0-9a-z]+)@", re.IGNORECASE)


def find_handler(candidates) -> tuple[Handler, str, str] | None:
    """The first registered (prefix, token) among the candidate addresses."""
    for candidate in candidates:
        for prefix, token in _ADDRESS.findall(str(candidate or "")):
            handler = _HANDLERS.get(prefix.lower())
            if handler is not None:
                return handler, token.lower(), str(candidate)
    return None


def _header(message, name: str) -> str:
    try:
        return " ".join(str(message.get(name, "") or "").split())[:400]
    except Exception:  # a header the parser cannot decode
        return ""


def keep(raw: bytes, *, reason: str, message=None, recipient: str = "", detail: str = "") -> InboundEmail:
    return InboundEmail.objects.create(
        raw=raw[:MAX_KEPT_BYTES],
        reason=reason,
        recipient=(recipient or (_header(message, "To") if message is not None else ""))[:400],
        sender=_header(message, "From") if message is not None else "",
        subject=_header(message, "Subject") if message is not None else "",
        detail=detail[:300],
    )
