"""`groundswell check`: Django's check command; with --deploy it also fails on warnings.

A production configuration should be clean, not merely free of errors: Django's own deployment
checks (HSTS, secure cookies, ...) are warnings, and a warning ignored is a server left unsafe.
Pass --fail-level ERROR to go back to Django's default.
"""

from django.core.management.commands.check import Command as DjangoCheckCommand


class Command(DjangoCheckCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(fail_level=None)

    def handle(self, *app_labels, **options):
        if options.get("fail_level") is None:
            options["fail_level"] = "WARNING" if options.get("deploy") else "ERROR"
        return super().handle(*app_labels, **options)
