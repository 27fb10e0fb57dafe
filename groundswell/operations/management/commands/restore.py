"""`groundswell restore FILE`: replace the database's contents with a backup.

By default it restores into the configured database, after asking; --database-url restores into
another one (for testing a backup, or moving to a new server).
"""

from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from groundswell.operations.backups import BackupError, restore_database


class Command(BaseCommand):
    help = "Restore the database from a file made by `groundswell backup` (replaces what is there)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file made by `groundswell backup`")
        parser.add_argument("--database-url", default="", help="restore into this database instead of the configured one")
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing the database's contents")

    def handle(self, *args, file, database_url, yes, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"There is no backup file at {source}.")
        database = dj_database_url.parse(database_url) if database_url else settings.DATABASES["default"]
        if not yes and options.get("interactive", True):
            answer = input(f"This replaces everything in the database {database['NAME']} with {source}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was changed.")
        try:
            restore_database(source, database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {database['NAME']} from {source}. Run `groundswell migrate` if this backup is from an older version."))
