"""`groundswell mail receive-bounce`: take one bounce or complaint from the mail server, on stdin.

Point the bounce domain's mail at it, e.g. in Postfix's master.cf a pipe transport running
`groundswell mail receive-bounce --recipient ${original_recipient}` (docs/configuration.md).
It is the one intake for every kind of email (core/outbox.py). It exits 0 whatever arrives (an
MTA would otherwise bounce the bounce), and says what it did.
"""

import sys

from django.core.management.base import BaseCommand

from groundswell.core import bounces, outbox


class Command(BaseCommand):
    help = "Mail: receive-bounce reads a bounce or spam complaint on stdin and records it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        receive = sub.add_parser("receive-bounce", help="read a raw bounce or complaint on stdin")
        receive.add_argument("--recipient", default="", help="the envelope recipient (bounces+<token>@...), if the MTA gives it")

    def handle(self, *args, subcommand, recipient="", **options):
        message = bounces.parse(sys.stdin.buffer.read())
        token = bounces.token_from_message(message, recipient)
        if token is None:
            self.stdout.write("ignored: not addressed to a bounce address")
            return
        complaint = bounces.is_complaint(message)
        if not complaint and not bounces.is_failure_report(message):
            self.stdout.write("ignored: not a delivery failure report or a complaint")
            return
        row = outbox.record_bounce(token=token, complaint=complaint)
        if row is None:
            self.stdout.write("ignored: unknown or forged bounce address")
        else:
            self.stdout.write(f"recorded: {'complaint' if complaint else 'bounce'} for a {row.kind} email; the address is suppressed")
