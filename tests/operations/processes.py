"""Running `groundswell` commands as real processes in tests, with a production-like environment."""

import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# What tests/settings.py put into this process's environment; a subprocess must not inherit it.
TEST_ONLY_VARIABLES = {
    "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "GROUNDSWELL_DATA_DIR", "DEBUG",
    "DATABASE_URL", "CACHE_URL", "SMTP_HOST", "SMTP_PORT", "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def groundswell_environment(**variables) -> dict:
    environment = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    environment["DJANGO_SETTINGS_MODULE"] = "groundswell.settings"
    environment.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    environment.update({key: str(value) for key, value in variables.items()})
    return environment


def groundswell(*args: str, environment: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "groundswell.cli", *args], env=environment, capture_output=True, text=True, timeout=timeout
    )


def start_groundswell(*args: str, environment: dict, log: Path) -> subprocess.Popen:
    output = open(log, "wb")
    process = subprocess.Popen([sys.executable, "-m", "groundswell.cli", *args], env=environment, stdout=output, stderr=subprocess.STDOUT)
    output.close()
    return process


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class Browser:
    """A cookie-keeping HTTP client (urllib), posting forms with their CSRF token, as a browser does."""

    def __init__(self, base_url: str, *, forwarded_for: str | None = None):
        self.base_url = base_url.rstrip("/")
        # As a reverse proxy would add it: the servers run with TRUSTED_PROXY_COUNT=1.
        self.forwarded_for = forwarded_for
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path: str, data: dict | None = None, *, base_url: str | None = None) -> tuple[int, str]:
        url = (base_url or self.base_url) + path if path.startswith("/") else path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": url} if body is not None else {}
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        try:
            with self.opener.open(urllib.request.Request(url, data=body, headers=headers), timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def submit(self, path: str, fields: dict, *, base_url: str | None = None) -> tuple[int, str]:
        """GET the page holding the form, then POST the form to the same address with the form's
        hidden fields (CSRF token, the sign form's signed timestamp, an empty honeypot), as a
        browser does."""
        status, page = self.request(path, base_url=base_url)
        assert status == 200, f"GET {path} answered {status}"
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        return self.request(path, {**hidden, **fields}, base_url=base_url)


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
