"""The `groundswell` command: Django's management commands, plus demo, serve and worker.

`groundswell demo` needs no configuration at all: before Django loads its settings, this fills in
what a local demo needs (a secret key generated once and kept in the data folder, local hosts, the
local URL). Every other command reads the environment as production does.
"""

import os
import secrets
import sys
from pathlib import Path


def _demo_environment() -> None:
    data_dir = Path(os.environ.setdefault("GROUNDSWELL_DATA_DIR", "var")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ.setdefault("SECRET_KEY", key_file.read_text().strip())
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "demo":
        _demo_environment()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
