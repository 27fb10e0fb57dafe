"""`groundswell serve`: the production web server (gunicorn) serving Groundswell.

docs/deployment.md explains the choice of server and how many workers to run.
"""

import os

from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _GunicornApplication(BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from groundswell.wsgi import application

        return application


def gunicorn_options(*, bind: str, workers: int, threads: int) -> dict:
    return {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "accesslog": os.environ.get("ACCESS_LOG") or None,
        "errorlog": "-",
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
        "max_requests": 10000,
        "max_requests_jitter": 1000,
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    }


class Command(BaseCommand):
    help = "Serve Groundswell over HTTP with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"), help="address:port to listen on")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) * 2)),
            help="web worker processes (default: WEB_CONCURRENCY, or twice the CPU count)",
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", 1)), help="threads per worker")

    def handle(self, *args, bind, workers, threads, **options):
        _GunicornApplication(gunicorn_options(bind=bind, workers=workers, threads=threads)).run()
