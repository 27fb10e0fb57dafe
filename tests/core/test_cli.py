"""The `groundswell` command as a newcomer and an operator use it, in real subprocesses."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from tests.support.mail import free_port


def groundswell(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "groundswell.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def clean_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["GROUNDSWELL_DATA_DIR"] = str(tmp_path / "var")
    return env


def test_with_debug_off_it_refuses_to_start_and_names_what_is_missing(clean_env):
    result = groundswell("check", env={**clean_env, "SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS, SITE_URL" in result.stderr
    assert "SECRET_KEY" not in result.stderr.split("until these are set:")[1].split(".")[0]


def test_a_malformed_boolean_is_named(clean_env):
    result = groundswell("check", env={**clean_env, "DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_demo_sets_up_data_and_the_production_server_serves_it(clean_env, tmp_path):
    result = groundswell("demo", "--no-serve", env=clean_env)
    assert result.returncode == 0, result.stderr
    assert "organiser@example.org" in result.stdout and "http://127.0.0.1:8000" in result.stdout
    assert (tmp_path / "var" / "groundswell.sqlite3").exists()
    secret = (tmp_path / "var" / "secret_key").read_text()
    assert len(secret) >= 50

    # Running it again keeps the data and the key.
    again = groundswell("demo", "--no-serve", env=clean_env)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "var" / "secret_key").read_text() == secret

    for interface in ("wsgi", "asgi"):  # granian's two ways in (groundswell serve --interface)
        env = _serve_demo_and_check(clean_env, secret, interface)

    worker = groundswell("worker", "--batch", env=env)
    assert worker.returncode == 0, worker.stderr


def _serve_demo_and_check(clean_env, secret, interface):
    port = free_port()
    env = {**clean_env, "SECRET_KEY": secret, "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": f"http://127.0.0.1:{port}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "groundswell.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--interface", interface],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/petitions/end-police-led-crisis-care.json", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert body is not None, "server did not answer"
        # 340 online, and the demo's paper sheet (39) and assisted signature (1): issue 18's demo data
        assert '"signature_count": 380' in body and '"signatures_online": 340' in body and '"signatures_on_paper": 39' in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/campaigns/care-not-police/", timeout=5) as r:
            page = r.read().decode()
        assert "Demonstration data" in page
        css = page.split('rel="stylesheet" href="')[1].split('"')[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css}", timeout=5) as r:
            assert r.status == 200
        # A signature, its body read through the server's own path (a thread pool under ASGI).
        form = urllib.parse.urlencode({"name": "Ada", "email": f"ada-{interface}@example.org", "where": "abroad",
                                       "country": "FR", "consent": "on"}).encode()
        sign = urllib.request.Request(f"http://127.0.0.1:{port}/petitions/end-police-led-crisis-care/", data=form, method="POST",
                                      headers={"Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"})
        with urllib.request.urlopen(sign, timeout=10) as r:
            assert r.status == 200 and "/check-your-email/" in r.url, interface
    finally:
        server.terminate()
        server.wait(timeout=10)
    return env


def _get(url, *, attempts=150):
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url}")


def test_the_demo_on_another_port_puts_that_port_in_every_link(clean_env, tmp_path):
    clean_env["GROUNDSWELL_GEOGRAPHY_PACK"] = str(tmp_path / "no-pack")  # quicker: no 1.7m postcodes
    port = free_port()
    setup = groundswell("demo", "--no-serve", "--bind", f"127.0.0.1:{port}", env=clean_env)
    assert setup.returncode == 0, setup.stderr
    assert f"http://127.0.0.1:{port}/accounts/login/" in setup.stdout and ":8000" not in setup.stdout

    demo = subprocess.Popen(
        [sys.executable, "-m", "groundswell.cli", "demo", f"--bind=127.0.0.1:{port}"],
        env=clean_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        page = _get(f"http://127.0.0.1:{port}/petitions/end-police-led-crisis-care/")
        # The share buttons (and the emails, built from the same SITE_URL) name the port served on.
        assert f"http://127.0.0.1:{port}/petitions/end-police-led-crisis-care/" in page
        assert "127.0.0.1:8000" not in page
        data = json.loads(_get(f"http://127.0.0.1:{port}/petitions/end-police-led-crisis-care.json"))
        assert data["url"].startswith(f"http://127.0.0.1:{port}/")
    finally:
        demo.send_signal(signal.SIGINT)  # Ctrl+C, as a person stops it
        try:
            demo.wait(timeout=20)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait()

    # A SITE_URL given explicitly (behind a tunnel, say) wins over --bind.
    explicit = groundswell(
        "demo", "--no-serve", "--bind", f"127.0.0.1:{port}", env={**clean_env, "SITE_URL": "https://demo.example.org"}
    )
    assert explicit.returncode == 0, explicit.stderr
    assert "https://demo.example.org/accounts/login/" in explicit.stdout


def test_after_the_demo_other_commands_work_on_its_data_folder(clean_env, tmp_path):
    clean_env["GROUNDSWELL_GEOGRAPHY_PACK"] = str(tmp_path / "no-pack")  # quicker: no 1.7m postcodes
    port = free_port()
    setup = groundswell("demo", "--no-serve", "--bind", f"127.0.0.1:{port}", env=clean_env)
    assert setup.returncode == 0, setup.stderr

    backup = groundswell("backup", env=clean_env)
    assert backup.returncode == 0, backup.stderr
    assert "Backed up the database" in backup.stdout
    [made] = (tmp_path / "var" / "backups").glob("groundswell-*.backup")
    assert made.read_bytes().startswith(b"SQLite format 3")

    admin = groundswell(
        "createsuperuser", "--noinput", "--username", "robin", "--email", "robin@example.org",
        env={**clean_env, "DJANGO_SUPERUSER_PASSWORD": "a long demo password"},
    )
    assert admin.returncode == 0, admin.stderr
    same_site = groundswell(
        "shell", "-c", "from django.conf import settings; from django.contrib.auth.models import User; "
        "print(settings.SITE_URL, User.objects.filter(username='robin').exists())",
        env=clean_env,
    )
    assert same_site.stdout.strip().splitlines()[-1].split() == [f"http://127.0.0.1:{port}", "True"], same_site.stderr

    # A production environment (its own key) never picks up the demo's settings.
    production = groundswell("backup", env={**clean_env, "SECRET_KEY": "p" * 50})
    assert production.returncode != 0
    assert "ALLOWED_HOSTS, SITE_URL" in production.stderr


@pytest.mark.django_db
def test_the_running_source_code_is_offered_as_the_agpl_asks(client):
    import io
    import tarfile

    page = client.get("/")
    assert 'href="/source.tar.gz"' in page.content.decode()
    response = client.get("/source.tar.gz")
    assert response.status_code == 200
    names = tarfile.open(fileobj=io.BytesIO(response.content)).getnames()
    assert "groundswell/settings.py" in names and "LICENSE" in names


@pytest.mark.django_db
def test_the_demo_data_sends_no_email_to_its_made_up_supporters(smtp_server):
    from groundswell.composition.demo import load_demo_data
    from tests.support.queue import run_queued_tasks
    from groundswell.petitions.models import Signature

    load_demo_data(signatures=30)
    assert Signature.objects.count() > 0
    run_queued_tasks()
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    "arguments, environment, expected",
    [
        ([], {}, ("wsgi", 8)),
        (["--interface", "asgi"], {}, ("asgi", 3)),  # the event loop must win the interpreter from fewer threads
        (["--interface", "asgi"], {"WEB_THREADS": "6"}, ("asgi", 6)),
        (["--interface", "asgi", "--threads", "5"], {"WEB_THREADS": "6"}, ("asgi", 5)),
        ([], {"WEB_INTERFACE": "asgi"}, ("asgi", 3)),
    ],
)
def test_serve_takes_threads_by_interface_unless_told(monkeypatch, arguments, environment, expected):
    from django.core.management import call_command

    from groundswell.composition.management.commands import serve

    monkeypatch.delenv("WEB_THREADS", raising=False)
    monkeypatch.delenv("WEB_INTERFACE", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    started = {}
    monkeypatch.setattr(serve, "run_granian", lambda **options: started.update(options))
    call_command("serve", *arguments)
    assert (started["interface"], started["threads"]) == expected
