"""`groundswell recount [SLUG ...]`: rebuild petition counts from the signatures themselves."""

from django.core.management.base import BaseCommand, CommandError

from groundswell.petitions.models import COUNTED
from groundswell.petitions.actions import recount_petition
from groundswell.petitions.models import Petition
from groundswell.petitions.queries import count_signatures


class Command(BaseCommand):
    help = "Rebuild the signature counts of some or all petitions from their confirmed signatures."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="petitions to recount (default: all)")
        parser.add_argument("--dry-run", action="store_true", help="report differences without changing anything")

    def handle(self, *args, slugs, dry_run, **options):
        petitions = Petition.objects.order_by("pk")
        if slugs:
            petitions = petitions.filter(slug__in=slugs)
            missing = set(slugs) - set(petitions.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No petition with the slug: {', '.join(sorted(missing))}")
        changed = unchanged = 0
        for petition in petitions:
            before = count_signatures(petition)
            if dry_run:
                after = petition.signatures.filter(COUNTED).count()
            else:
                after = recount_petition(petition=petition)
            if before == after:
                unchanged += 1
            else:
                changed += 1
                self.stdout.write(f"{petition.slug}: {before} -> {after}")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{changed} {verb}, {unchanged} unchanged.")
