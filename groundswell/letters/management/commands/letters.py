"""`groundswell letters receive-bounce`: take one bounce from the mail server, on stdin.

Point the bounce domain's mail at it, e.g. in Postfix's master.cf a pipe transport running
`groundswell letters receive-bounce --recipient ${original_recipient}` (docs/configuration.md).
It exits 0 whatever arrives (an MTA would otherwise bounce the bounce), and says what it did.
"""

import sys

from django.core.management.base import BaseCommand

from groundswell.letters import actions, bounces


class Command(BaseCommand):
    help = "Letters: receive-bounce reads a bounce message on stdin and records it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        receive = sub.add_parser("receive-bounce", help="read a raw bounce message on stdin")
        receive.add_argument("--recipient", default="", help="the envelope recipient (bounces+<token>@...), if the MTA gives it")

    def handle(self, *args, subcommand, recipient="", **options):
        raw = sys.stdin.buffer.read()
        message = bounces.parse(raw)
        token = bounces.token_from_message(message, recipient)
        if token is None:
            self.stdout.write("ignored: no letter address")
            return
        if not bounces.is_failure_report(message):
            self.stdout.write("ignored: not a delivery failure report")
            return
        count = actions.record_bounce(token=token)
        self.stdout.write(f"recorded: bounce for {count} letter{'' if count == 1 else 's'}" if count else "ignored: unknown letter")
