"""`groundswell mail receive` (and the older `receive-bounce`): take one message from the mail
server, on stdin.

Point the bounce domain's mail at it, e.g. in Postfix's master.cf a pipe transport running
`groundswell mail receive --recipient ${original_recipient}` (docs/configuration.md).

- `receive` routes everything: a bounce or complaint to its outbox row (core/bounces.py); a reply
  to an app's reply address (`answer+<token>@…`: the ledger) to that app's handler
  (core/inbound.py); anything else, and anything unreadable or that a handler cannot take, is
  kept whole in `InboundEmail` for staff.
- `receive-bounce` takes bounces and complaints only, as before.

Both exit 0 whatever arrives (an MTA would otherwise bounce the message), and say what they did.
"""

import logging
import sys

from django.core.management.base import BaseCommand
from django.db import transaction

from groundswell.core import bounces, inbound, outbox
from groundswell.core.models import InboundEmail

logger = logging.getLogger("groundswell.mail")


class Command(BaseCommand):
    help = "Mail: receive routes one incoming message (bounce, complaint, reply) read on stdin; receive-bounce takes bounces only."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, text in (("receive", "read one raw incoming message on stdin and route it"),
                           ("receive-bounce", "read a raw bounce or complaint on stdin")):
            command = sub.add_parser(name, help=text)
            command.add_argument("--recipient", default="", help="the envelope recipient, if the MTA gives it")

    def handle(self, *args, subcommand, recipient="", **options):
        raw = sys.stdin.buffer.read()
        if subcommand == "receive-bounce":
            self.stdout.write(self._bounce(bounces.parse(raw), recipient) or "ignored: not addressed to a bounce address")
            return
        self.stdout.write(self._receive(raw, recipient))

    def _bounce(self, message, recipient) -> str | None:
        token = bounces.token_from_message(message, recipient)
        if token is None:
            return None
        complaint = bounces.is_complaint(message)
        if not complaint and not bounces.is_failure_report(message):
            return "ignored: not a delivery failure report or a complaint"
        row = outbox.record_bounce(token=token, complaint=complaint)
        if row is None:
            return "ignored: unknown or forged bounce address"
        return f"recorded: {'complaint' if complaint else 'bounce'} for a {row.kind} email; the address is suppressed"

    def _receive(self, raw: bytes, recipient: str) -> str:
        try:
            message = bounces.parse(raw)
            candidates = [recipient] + [message.get(h, "") for h in ("Delivered-To", "X-Original-To", "To", "Cc")]
        except Exception as error:  # not MIME at all: keep the bytes
            inbound.keep(raw, reason=InboundEmail.Reason.MALFORMED, recipient=recipient, detail=type(error).__name__)
            return "kept for staff: not a readable email"
        try:
            if bounces.token_from_message(message, recipient) is not None:
                return self._bounce(message, recipient)
            found = inbound.find_handler(candidates)
            if found is None:
                inbound.keep(raw, reason=InboundEmail.Reason.UNMATCHED, message=message, recipient=recipient)
                return "kept for staff: no reply address matched"
            handler, token, address = found
            try:
                with transaction.atomic():
                    return handler.handle(message=message, raw=raw, token=token, recipient=address)
            except inbound.Unmatched as error:
                inbound.keep(raw, reason=InboundEmail.Reason.UNMATCHED, message=message, recipient=address, detail=str(error))
                return f"kept for staff: {error}"
        except Exception as error:  # a bug, or mail no parser expected: never lose the message
            logger.exception("An incoming email could not be handled; kept for staff")
            inbound.keep(raw, reason=InboundEmail.Reason.FAILED, recipient=recipient, detail=f"{type(error).__name__}: {error}")
            return "kept for staff: it could not be handled"
