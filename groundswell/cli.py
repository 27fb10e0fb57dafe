"""The `groundswell` command: Django's management commands, plus demo, serve and worker.

`groundswell demo` needs no configuration at all: before Django loads its settings, this fills in
what a local demo needs (a secret key generated once and kept in the data folder, local hosts, the
local URL that `--bind` gives). It records those in the data folder (`demo.env`, beside
`secret_key`), so that afterwards every other command (`backup`, `createsuperuser`, `worker`, …)
run on the same data folder uses the demo's settings too, instead of refusing to start.

Every other command reads the environment as production does. The demo's settings are used only
when the data folder has the demo's `demo.env` and SECRET_KEY is not set: a production
environment (with its own key) never picks them up.
"""

import os
import secrets
import sys
from pathlib import Path

DEMO_SETTINGS_FILE = "demo.env"
DEFAULT_DEMO_BIND = "127.0.0.1:8000"
# Written by the demo, read back by later commands: nothing else from the file is used.
_DEMO_VARIABLES = ("ALLOWED_HOSTS", "SITE_URL")


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
    (data_dir / DEMO_SETTINGS_FILE).write_text(
        "# Written by `groundswell demo`: the settings its data folder was served with. Other\n"
        "# `groundswell` commands run on this folder (without SECRET_KEY set) use them too.\n"
        + "".join(f"{name}={os.environ[name]}\n" for name in _DEMO_VARIABLES)
    )


def _demo_folder_environment() -> bool:
    """For any other command: use the demo's settings if this data folder is the demo's."""
    if os.environ.get("SECRET_KEY"):
        return False
    data_dir = _data_dir()
    settings_file, key_file = data_dir / DEMO_SETTINGS_FILE, data_dir / "secret_key"
    if not (settings_file.is_file() and key_file.is_file()):
        return False
    for line in settings_file.read_text().splitlines():
        name, _, value = line.partition("=")
        if name.strip() in _DEMO_VARIABLES:
            os.environ.setdefault(name.strip(), value.strip())
    os.environ["SECRET_KEY"] = key_file.read_text().strip()
    os.environ["GROUNDSWELL_DATA_DIR"] = str(data_dir)
    return True


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "demo":
        _demo_environment(argv)
    elif _demo_folder_environment():
        print(f"Using the demo's settings in {_data_dir()} (written by `groundswell demo`).", file=sys.stderr)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
