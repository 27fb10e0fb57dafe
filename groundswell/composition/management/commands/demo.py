"""`groundswell demo`: set up a local demo and serve it, with its task worker, on 127.0.0.1:8000
(or the address and port `--bind` gives; the links in emails and share buttons follow it, see
groundswell/cli.py, unless SITE_URL is set).

It migrates the database, loads the demonstration data (once), then runs the web server and the
task worker together until you press Ctrl+C. Email goes to a folder, and is shown here.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from groundswell.composition.demo import DEMO_ORGANISER_EMAIL, demo_organiser_password, load_demo_data
from groundswell.geography.demo import load_demo_geography


class Command(BaseCommand):
    help = "Set up the local demo (database, demo data) and serve it with its task worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", default="127.0.0.1:8000",
            help="address:port to serve on (default 127.0.0.1:8000); links in emails use it unless SITE_URL is set",
        )
        parser.add_argument("--no-serve", action="store_true", help="set up and load the demo data, then exit")

    def handle(self, *args, bind, no_serve, **options):
        self.stdout.write("Setting up the database…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(load_demo_geography())
        load_demo_data()
        url = settings.SITE_URL
        self.stdout.write(
            self.style.SUCCESS(
                "\nGroundswell demo is ready.\n"
                f"  Site:            {url}/\n"
                f"  Organiser login: {url}/accounts/login/\n"
                f"    email:         {DEMO_ORGANISER_EMAIL}\n"
                f"    password:      {demo_organiser_password()}\n"
                f"  Emails sent are saved in {settings.MAIL_FOLDER} and shown below.\n"
                "Press Ctrl+C to stop.\n"
            )
        )
        if no_serve:
            return
        worker = subprocess.Popen([sys.executable, "-m", "groundswell.cli", "worker", "--verbosity", "0"], env=os.environ.copy())
        try:
            call_command("serve", bind=bind, workers=2, threads=4)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
