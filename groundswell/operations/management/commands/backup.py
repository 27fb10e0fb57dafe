"""`groundswell backup FILE`: a consistent backup of the database, taken while the site runs."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from groundswell.operations.backups import BackupError, backup_database


class Command(BaseCommand):
    help = "Back up the database to a file (pg_dump custom format on PostgreSQL, a SQLite copy otherwise)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?",
            help="where to write the backup (default: <data dir>/backups/groundswell-<date>-<time>.backup)",
        )

    def handle(self, *args, file, **options):
        destination = file or settings.DATA_DIR / "backups" / f"groundswell-{timezone.now():%Y%m%d-%H%M%S}.backup"
        try:
            path = backup_database(settings.DATABASES["default"], destination)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backed up the database to {path} ({path.stat().st_size:,} bytes)."))
