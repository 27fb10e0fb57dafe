"""The `groundswell` command: Django's management commands, plus demo, serve and worker.

`groundswell demo` needs no configuration at all: before Django loads its settings, this fills in
what a local demo needs (a secret key generated once and kept in the data folder, local hosts, the
local URL that `--bind` gives, so links in emails and share buttons name the port served on).
Every other command reads the environment as production does.
"""

import os
import secrets
import sys
from pathlib import Path

DEFAULT_DEMO_BIND = "127.0.0.1:8000"


def _data_dir() -> Path:
    return Path(os.environ.get("GROUNDSWELL_DATA_DIR") or "var").resolve()


def _bind_from(argv: list[str]) -> str:
    """The value of `--bind` among the demo's arguments (as argparse reads it), or the default."""
    bind = DEFAULT_DEMO_BIND
    for index, argument in enumerate(argv):
        if argument == "--bind" and index + 1 < len(argv):
            bind = argv[index + 1]
        elif argument.startswith("--bind="):
            bind = argument.split("=", 1)[1]
    return bind


def _demo_site(bind: str) -> tuple[str, list[str]]:
    """The URL that links in emails and share buttons should use, and the hosts to allow, for a
    demo served on `bind` (address:port). A wildcard address is reached locally as 127.0.0.1."""
    host, _, port = bind.rpartition(":")
    bare = host.strip("[]")
    if bare in {"0.0.0.0", "::", ""}:
        bare = "127.0.0.1"
    url_host = f"[{bare}]" if ":" in bare else bare
    hosts = ["127.0.0.1", "localhost", "[::1]"]
    if url_host not in hosts:
        hosts.append(url_host)
    return f"http://{url_host}:{port}", hosts


def _demo_environment(argv: list[str]) -> None:
    data_dir = _data_dir()
    os.environ["GROUNDSWELL_DATA_DIR"] = str(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        # Private from its first byte: the key signs every confirmation and data link.
        with os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
            file.write(secrets.token_urlsafe(50))
    os.environ.setdefault("SECRET_KEY", key_file.read_text().strip())
    site_url, hosts = _demo_site(_bind_from(argv[2:]))
    os.environ.setdefault("ALLOWED_HOSTS", ",".join(hosts))
    os.environ.setdefault("SITE_URL", site_url)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "demo":
        _demo_environment(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
