"""The nginx configuration we ship (deploy/nginx/groundswell.conf) passes `nginx -t` with the
nginx Debian ships, with a throwaway certificate in place of Let's Encrypt's, and tells no one which
version of nginx (or of Caddy, or of the app server) answers."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_nginx_site_is_valid(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is not installed: scripts/test installs Debian's nginx-light")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )
    site = (ROOT / "deploy" / "nginx" / "groundswell.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/petitions.example.org/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/letsencrypt/live/petitions.example.org/privkey.pem", str(tmp_path / "key.pem"))
    site = site.replace("/var/cache/nginx/groundswell", str(tmp_path / "cache"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ access_log off; include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

    # The configuration nginx actually loaded (-T prints it) turns the version off, outside any
    # server block, so the plain-HTTP redirect and nginx's own error pages hide it too.
    dumped = subprocess.run([nginx, "-T", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True).stdout
    site_part = dumped.split(f"# configuration file {tmp_path / 'site.conf'}:")[1]
    before_first_server = site_part.split("\nserver {")[0]
    assert "server_tokens off;" in _directives(before_first_server)


def _directives(config: str) -> list[str]:
    """The lines of an nginx or Caddy configuration that are not comments."""
    lines = (line.split("#")[0].strip() for line in config.splitlines())
    return [line for line in lines if line]


def test_the_shipped_caddy_site_sends_no_server_header():
    directives = _directives((ROOT / "deploy" / "caddy" / "Caddyfile").read_text())
    assert "header -Server" in directives
