"""`groundswell geography import DIR` and `groundswell geography build-pack OUT_DIR`.

import      load a geography pack (see packs.py) as a new boundary set and switch it on
build-pack  download the official sources and write a pack (see pack_builder.py)
"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from groundswell.geography import actions, pack_builder
from groundswell.geography.packs import PackError


class ProgressLine:
    """A one-line progress bar on stderr, redrawn in place; silent when stderr is not a terminal
    unless asked (tests and logs get the final line only)."""

    def __init__(self, label, stream=None, width=30):
        self.label, self.stream, self.width = label, stream or sys.stderr, width
        self.started = time.monotonic()
        self.interactive = getattr(self.stream, "isatty", lambda: False)()

    def __call__(self, fraction: float):
        fraction = min(max(fraction, 0.0), 1.0)
        filled = int(self.width * fraction)
        line = f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {fraction:4.0%} {time.monotonic() - self.started:5.1f}s"
        if self.interactive:
            self.stream.write("\r" + line)
            if fraction >= 1.0:
                self.stream.write("\n")
        elif fraction >= 1.0:
            self.stream.write(line + "\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "UK geography: import a pack of constituencies, MPs and postcodes, or build one from the official sources."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{import,build-pack}")
        imp = sub.add_parser("import", help="load a geography pack and switch lookups to it")
        imp.add_argument("directory", type=Path, help="the pack's directory (constituencies.csv, members.csv, postcodes.csv.gz)")
        imp.add_argument("--name", default=actions.DEFAULT_BOUNDARY_SET_NAME, help="the boundary set's name (default: %(default)s)")
        imp.add_argument("--dry-run", action="store_true", help="check the pack and report what would change, changing nothing in use")
        imp.add_argument("--no-progress", action="store_true", help="no progress bar")
        build = sub.add_parser("build-pack", help="download the official sources and write a pack")
        build.add_argument("out_dir", type=Path)
        build.add_argument("--source-url", action="append", default=[], metavar="NAME=URL",
                           help=f"a source's address ({', '.join(pack_builder.DEFAULT_SOURCES)}); repeatable. "
                           "constituencies and postcodes (ONS) have no default")

    def handle(self, *args, subcommand, **options):
        if subcommand == "import":
            return self.import_pack(**options)
        return self.build_pack(**options)

    def import_pack(self, *, directory, name, dry_run, no_progress, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory: give the folder that holds the pack's files.")
        progress = None if no_progress else ProgressLine("postcodes", self.stderr._out)
        try:
            report = actions.import_pack(directory=directory, name=name, dry_run=dry_run, on_progress=progress)
        except PackError as error:
            raise CommandError(f"The pack is malformed; nothing was changed. {error}") from None
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} {name!r} from {directory} in {report.seconds:.1f} s" + (" (dry run: nothing changed)" if dry_run else ""))
        self.stdout.write(f"  constituencies: {report.constituencies}")
        self.stdout.write(f"  members:        {report.members}")
        self.stdout.write(f"  postcodes:      {report.postcodes}")
        if report.skipped.count:
            self.stderr.write(f"Warning: {report.skipped}")

    def build_pack(self, *, out_dir, source_url, **options):
        sources = dict(pack_builder.DEFAULT_SOURCES)
        for item in source_url:
            key, sep, url = item.partition("=")
            if not sep or key not in sources:
                raise CommandError(f"--source-url takes NAME=URL with NAME one of {', '.join(sources)}, not {item!r}.")
            sources[key] = url
        try:
            summary = pack_builder.build_pack(out_dir=out_dir, sources=sources, log=self.stdout.write)
        except pack_builder.SourceError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Wrote a pack to {out_dir}: {summary}"))
