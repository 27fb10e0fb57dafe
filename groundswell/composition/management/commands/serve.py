"""`groundswell serve`: serve Groundswell over HTTP in production.

Two application servers are supported, measured side by side by bench/viral_load.py (numbers in
docs/performance.md): granian (HTTP handled in Rust, Python only for the application; the default,
because it measured faster) and gunicorn (pure Python, the long-standing choice). WEB_SERVER
chooses; docs/deployment.md says why.
"""

import os

from django.core.management.base import BaseCommand, CommandError

SERVERS = ("gunicorn", "granian")


def default_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))


# Threads per worker when WEB_THREADS is not set, by granian's interface, as measured by
# bench/viral_load.py on 2 cores (docs/performance.md). Under WSGI every request needs a thread,
# and requests mostly wait on the database, so 8 keep the cores busy. Under ASGI the stored
# open data is answered on the event loop, which must win the interpreter lock from the threads
# running Django: with 3 it answered the count JSON 1.4 to 1.8 times as fast as with 8
# (2,029 and 2,267 against 1,579 and 1,267 a second) while as many signatures were taken.
DEFAULT_THREADS = {"wsgi": 8, "asgi": 3}


def default_threads(interface: str) -> int:
    return int(os.environ.get("WEB_THREADS") or DEFAULT_THREADS[interface])


def run_gunicorn(*, host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "accesslog": os.environ.get("ACCESS_LOG") or None,
        "errorlog": "-",
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
        "backlog": 2048,
        "max_requests": 10000,
        "max_requests_jitter": 1000,
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "control_socket_disable": True,
    }

    class Application(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self):
            from groundswell.wsgi import application

            return application

    Application().run()


def run_granian(*, host: str, port: int, workers: int, threads: int, interface: str = "wsgi") -> None:
    from granian import Granian
    from granian.constants import Interfaces

    os.environ["WEB_THREADS"] = str(threads)  # read by the ASGI factory in each worker
    asgi = interface == "asgi"
    Granian(
        "groundswell.wsgi:asgi_application" if asgi else "groundswell.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.ASGI if asgi else Interfaces.WSGI,
        factory=asgi,
        workers=workers,
        blocking_threads=1 if asgi else threads,
        backlog=2048,
        log_access=bool(os.environ.get("ACCESS_LOG")),
        respawn_failed_workers=True,
    ).serve()


class Command(BaseCommand):
    help = "Serve Groundswell over HTTP (gunicorn or granian)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"), help="address:port to listen on")
        parser.add_argument("--server", choices=SERVERS, default=os.environ.get("WEB_SERVER", "granian"))
        parser.add_argument("--workers", type=int, default=default_workers(), help="worker processes (default: WEB_CONCURRENCY, or the CPU count)")
        parser.add_argument("--threads", type=int, default=None,
                            help="threads per worker (default: WEB_THREADS, or 8 under wsgi and gunicorn, 3 under asgi)")
        parser.add_argument("--interface", choices=("wsgi", "asgi"), default=os.environ.get("WEB_INTERFACE", "wsgi"),
                            help="granian only: asgi answers cached open data on the event loop, the rest in the threads (default: WEB_INTERFACE, or wsgi)")

    def handle(self, *args, bind, server, workers, threads, interface, **options):
        host, _, port = bind.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--bind must be address:port, not {bind!r}")
        host = host.strip("[]")
        threads = threads or default_threads("asgi" if server == "granian" and interface == "asgi" else "wsgi")
        if server == "gunicorn":
            run_gunicorn(host=host, port=int(port), workers=workers, threads=threads)
        else:
            run_granian(host=host, port=int(port), workers=workers, threads=threads, interface=interface)
