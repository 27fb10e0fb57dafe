"""CPU per request of the signing flow, in one process, request by request.

    .venv/bin/python bench/signing_flow.py                       # PostgreSQL, 300 signers
    .venv/bin/python bench/signing_flow.py --database sqlite --signers 500
    .venv/bin/python bench/signing_flow.py --profile sign_post   # cProfile of one step

The viral-load harness (bench/viral_load.py) measures the whole deployment under load, where
queueing and the other processes blur what each request costs. This drives the same six requests
a signer makes (the form, the POST, "check your email", the confirmation link, its button, "thank
you") through Django's test client in one process, with the production settings (DEBUG off, the
same middleware, Redis as the cache when it is there) and a fresh database, and prints each
request's CPU time (time.process_time: this process only, so the database server's own work is
not in it) and its database queries. A minimal view is timed the same way, so the ratio to it is
the figure to compare between runs and machines. CSRF is enforced as in production.
"""

import argparse
import os
import re
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
STEPS = ["minimal", "form_get", "sign_post", "check_email_get", "confirm_get", "confirm_post", "thanks_get"]
LABELS = {
    "minimal": "minimal view (the ceiling's request)",
    "form_get": "1. sign form GET (the petition page)",
    "sign_post": "2. sign POST",
    "check_email_get": "3. 'check your email' page GET",
    "confirm_get": "4. confirmation link GET",
    "confirm_post": "5. confirm POST",
    "thanks_get": "6. 'thank you' page GET",
}


FORM = "application/x-www-form-urlencoded"


def own_page(path: str) -> dict:
    """What a browser sends with a form posted from our own page."""
    return {"HTTP_REFERER": f"http://testserver{path}", "HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}


def configure(database: str, data_dir: Path) -> None:
    for name in ("DEBUG", "DATABASE_URL", "CACHE_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="testserver", SITE_URL="http://testserver",
        GROUNDSWELL_DATA_DIR=str(data_dir), BENCH_ENDPOINTS="true", LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="groundswell.settings",
    )
    if database == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "groundswell_signing_flow" WITH (FORCE)')
            conn.execute('CREATE DATABASE "groundswell_signing_flow"')
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/groundswell_signing_flow"
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/13").flushdb()
        os.environ["CACHE_URL"] = "redis://127.0.0.1:6379/13"
    except Exception:  # no Redis: the local cache, as the embedded default
        pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--signers", type=int, default=300)
    parser.add_argument("--profile", choices=STEPS, help="print a cProfile of this step instead")
    parser.add_argument("--queries", choices=STEPS, help="also print the SQL of this step's last request")
    args = parser.parse_args(argv)

    import tempfile

    data_dir = Path(tempfile.mkdtemp(prefix="gs-signing-flow-"))
    configure(args.database, data_dir)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    sys.path.insert(0, str(ROOT / "bench"))
    from viral_load import POSTCODES, SLUG, internal_setup

    internal_setup({})
    from groundswell.petitions.models import Signature
    from groundswell.petitions.tokens import CONFIRMATION_LINK

    petition_path = f"/petitions/{SLUG}/"
    cpu = {step: [] for step in STEPS}
    queries = {step: [] for step in STEPS}
    profiler = None
    last_queries: list[str] = []
    if args.profile:
        import cProfile

        # PROFILE_TIMER=cpu times by this process's CPU, so waits on the database drop out.
        profile_timer = (time.process_time,) if os.environ.get("PROFILE_TIMER") == "cpu" else ()
        profiler = cProfile.Profile(*profile_timer)

    def timed(step, call):
        with CaptureQueriesContext(connection) as captured:
            if profiler and step == args.profile:
                profiler.enable()
            started = time.process_time()
            response = call()
            cpu[step].append(time.process_time() - started)
            if profiler and step == args.profile:
                profiler.disable()
        queries[step].append(len(captured.captured_queries))
        if args.queries == step:
            last_queries[:] = [query["sql"] for query in captured.captured_queries]
        return response

    field = re.compile(rb'name="(csrfmiddlewaretoken|gs_form_token)" value="([^"]+)"')
    # One client each for the signer's browser and the one the email is opened in (a new Client
    # loads the middleware again, whitenoise's scan of every static file included): each signer
    # starts with no cookies, as a new visitor does.
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9", HTTP_ACCEPT="text/html")
    button = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9", HTTP_ACCEPT="text/html")
    for number in range(args.signers + 20):  # the first 20 warm the caches and are not counted
        browser.cookies.clear()
        button.cookies.clear()
        timed("minimal", lambda: browser.get("/_bench/minimal"))
        page = timed("form_get", lambda: browser.get(petition_path))
        assert page.status_code == 200, page.status_code
        hidden = {name.decode(): value.decode() for name, value in field.findall(page.content)}
        email = f"signer{number}-{secrets.token_hex(4)}@example.org"
        form = {**hidden, "name": f"Signer {number}", "email": email, "where": "uk", "postcode": POSTCODES[number % len(POSTCODES)],
                "country": "", "consent": "on", "gs_leave_empty": ""}  # as bench/loadgen.mjs signs
        # URL-encoded, as browsers send a form with no file in it (the test client's default is multipart).
        answer = timed("sign_post", lambda: browser.post(petition_path, urlencode(form), content_type=FORM, **own_page(petition_path)))
        assert answer.status_code in (302, 303), (answer.status_code, answer.content[:2000])
        timed("check_email_get", lambda: browser.get(answer["Location"]))
        signature = Signature.objects.only("public_id").get(petition__slug=SLUG, email=email)
        link = f"/petitions/{SLUG}/confirm/{CONFIRMATION_LINK.make(signature.public_id)}/"
        shown = timed("confirm_get", lambda: button.get(link))
        token = field.search(shown.content)
        button_form = {"csrfmiddlewaretoken": token.group(2).decode()} if token else {}
        done = timed("confirm_post", lambda: button.post(link, urlencode(button_form), content_type=FORM, **own_page(link)))
        assert done.status_code in (302, 303), done.status_code
        timed("thanks_get", lambda: button.get(done["Location"]))
        reset_queries()
        if number == 19:
            for step in STEPS:
                cpu[step].clear()
                queries[step].clear()
            if profiler:
                profiler = __import__("cProfile").Profile(*profile_timer)

    if profiler:
        import pstats

        if os.environ.get("PROFILE_DUMP"):
            profiler.dump_stats(os.environ["PROFILE_DUMP"])
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(os.environ.get("PROFILE_FILTER", ""), 60)
        return 0
    for sql in last_queries:
        print(f"  SQL: {sql[:300]}")
    minimal = statistics.median(cpu["minimal"])
    print(f"Signing flow in one process: {args.signers} signers, {args.database}; CPU ms per request (median, p90), queries")
    flow_total = 0.0
    for step in STEPS:
        median = statistics.median(cpu[step]) * 1000
        p90 = statistics.quantiles(cpu[step], n=10)[-1] * 1000
        if step != "minimal":
            flow_total += median
        print(f"  {LABELS[step]:<42} {median:7.2f} {p90:7.2f}   {statistics.median(queries[step]):>3.0f} queries   {median / (minimal * 1000):5.1f} x minimal")
    print(f"  {'the whole flow (six requests)':<42} {flow_total:7.2f}           {flow_total / (minimal * 1000):5.1f} x minimal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
