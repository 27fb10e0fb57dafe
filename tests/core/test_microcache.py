"""The one-second cache in front of Django (core/microcache.py): it answers repeated polls of open
data without Django, exactly as Django answered, and stores nothing that is not for everyone."""

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from groundswell.core.microcache import MAX_ENTRIES, OpenDataMicroCache

PATH = "/petitions/care-not-police.json"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class CountingApp:
    """A WSGI application that says how often it was called, with the answer a test chooses."""

    def __init__(self, status="200 OK", headers=None):
        self.calls, self.status = 0, status
        self.headers = headers if headers is not None else [("Content-Type", "application/json"), ("X-Frame-Options", "DENY")]

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response(self.status, list(self.headers))
        return [f'{{"call": {self.calls}}}'.encode()]


def environ_for(path=PATH, method="GET", **extra):
    environ = {"PATH_INFO": path, "REQUEST_METHOD": method, "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    environ.update(extra)
    return environ


def call(app, environ):
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


def test_a_repeated_poll_is_answered_without_django_until_the_second_is_up():
    inner, clock = CountingApp(), Clock()
    app = OpenDataMicroCache(inner, paths=[r"/petitions/[^/]+\.json"], seconds=1, clock=clock)
    first = call(app, environ_for())
    clock.now += 0.5
    second = call(app, environ_for())
    assert inner.calls == 1 and second == first  # same status, headers and bytes
    clock.now += 0.6
    third = call(app, environ_for())
    assert inner.calls == 2 and third[2] == b'{"call": 2}'


def test_head_gets_the_headers_and_no_body():
    inner = CountingApp()
    app = OpenDataMicroCache(inner, paths=[r"/petitions/[^/]+\.json"], seconds=1, clock=Clock())
    assert call(app, environ_for(method="HEAD"))[2] == b""
    status, _headers, body = call(app, environ_for(method="HEAD"))
    assert inner.calls == 1 and status == "200 OK" and body == b""
    assert call(app, environ_for())[2] == b'{"call": 1}'


@pytest.mark.parametrize(
    "environ",
    [
        environ_for(QUERY_STRING="x=1"),  # made-up query strings must not fill memory
        environ_for(HTTP_COOKIE="sessionid=abc"),  # a logged-in organiser
        environ_for(HTTP_AUTHORIZATION="Bearer abc"),
        environ_for(method="POST"),
        environ_for(path="/petitions/care-not-police/"),  # not a listed path
    ],
)
def test_requests_that_may_be_personal_always_go_to_django(environ):
    inner = CountingApp()
    app = OpenDataMicroCache(inner, paths=[r"/petitions/[^/]+\.json"], seconds=1, clock=Clock())
    call(app, dict(environ, **{"wsgi.input": io.BytesIO()}))
    call(app, dict(environ, **{"wsgi.input": io.BytesIO()}))
    assert inner.calls == 2


@pytest.mark.parametrize(
    "status, headers",
    [
        ("404 Not Found", [("Content-Type", "text/html")]),
        ("200 OK", [("Set-Cookie", "csrftoken=abc; Path=/")]),
        ("200 OK", [("Cache-Control", "private")]),
        ("200 OK", [("Cache-Control", "no-store")]),
        ("200 OK", [("Vary", "User-Agent")]),
    ],
)
def test_answers_not_for_everyone_are_not_stored(status, headers):
    inner = CountingApp(status=status, headers=headers)
    app = OpenDataMicroCache(inner, paths=[r"/petitions/[^/]+\.json"], seconds=1, clock=Clock())
    call(app, environ_for())
    call(app, environ_for())
    assert inner.calls == 2


def test_languages_and_encodings_are_kept_apart_and_memory_is_bounded():
    inner = CountingApp(headers=[("Content-Type", "application/json"), ("Vary", "Accept-Language, Cookie")])
    app = OpenDataMicroCache(inner, paths=[r"/petitions/[^/]+\.json"], seconds=1, clock=Clock())
    welsh = call(app, environ_for(HTTP_ACCEPT_LANGUAGE="cy"))
    english = call(app, environ_for(HTTP_ACCEPT_LANGUAGE="en"))
    assert welsh[2] != english[2] and inner.calls == 2
    for n in range(MAX_ENTRIES + 50):
        call(app, environ_for(HTTP_ACCEPT_LANGUAGE=f"x-{n}"))
    assert len(app._stored) <= MAX_ENTRIES


@pytest.mark.django_db
def test_the_real_count_json_is_served_as_django_serves_it_and_catches_up(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    # As Django's test client does: the test's database connection must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _poll_real_json(settings)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _poll_real_json(settings):
    from groundswell.petitions import actions
    from tests.factories import make_petition, sign

    petition = make_petition(slug="care-not-police")
    clock = Clock()
    app = OpenDataMicroCache(get_wsgi_application(), paths=settings.MICROCACHE_PATHS, seconds=1, clock=clock)
    environ = environ_for(path=f"/petitions/{petition.slug}.json", HTTP_HOST="testserver", SERVER_NAME="testserver")
    status, headers, body = call(app, dict(environ))
    assert status.startswith("200") and b'"signature_count": 0' in body
    assert ("Access-Control-Allow-Origin", "*") in headers
    actions.confirm_signature(signature=sign(petition, email="new@example.org").signature)
    assert call(app, dict(environ))[2] == body  # within the second: the stored answer
    clock.now += 1.1
    assert b'"signature_count": 1' in call(app, dict(environ))[2]


@pytest.mark.django_db
def test_the_real_signers_pages_are_served_for_everyone_and_a_cookie_always_reaches_django(settings):
    """The petition page, "check your email" and "thank you" hold nothing of the visitor's (the
    sign form is checked by origin, core/crossorigin.py), so they are kept too; a page asked for
    as HTML and one not are kept apart (a first visit from a Welsh browser is redirected)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        from tests.factories import make_petition

        petition = make_petition(slug="care-not-police", title="Care not police")
        inner = get_wsgi_application()
        calls = []

        def counted(environ, start_response):
            calls.append(environ["PATH_INFO"])
            return inner(environ, start_response)

        clock = Clock()
        app = OpenDataMicroCache(counted, paths=settings.MICROCACHE_PATHS, seconds=1, clock=clock)
        host = {"HTTP_HOST": "testserver", "SERVER_NAME": "testserver", "HTTP_ACCEPT": "text/html"}
        for path in (f"/petitions/{petition.slug}/", f"/petitions/{petition.slug}/check-your-email/",
                     f"/petitions/{petition.slug}/confirmed/", f"/cy/petitions/{petition.slug}/"):
            first = call(app, environ_for(path=path, **host))
            assert first[0].startswith("200") and b"Care not police" in first[2], path
            assert not [value for name, value in first[1] if name.lower() == "set-cookie"], path
            assert call(app, environ_for(path=path, **host)) == first  # the stored answer
            assert calls.count(path) == 1, path
            call(app, environ_for(path=path, HTTP_COOKIE="sessionid=someone", **host))
            call(app, environ_for(path=path, HTTP_HOST="testserver", SERVER_NAME="testserver"))  # not asked as HTML
            assert calls.count(path) == 3, path
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class _NotACoroutine:
    """What granian's receive() returns: awaitable, but not a coroutine."""

    def __init__(self, message):
        self.message = message

    def __await__(self):
        if False:
            yield
        return self.message


def test_the_asgi_front_sends_stored_answers_from_the_loop_and_runs_the_rest_in_threads():
    import asyncio

    from groundswell.core.microcache import AsgiFront

    bodies = []

    def inner(environ, start_response):
        bodies.append(environ["wsgi.input"].read())
        start_response("200 OK", [("Content-Type", "application/json")])
        return [f'{{"call": {len(bodies)}}}'.encode()]

    clock = Clock()
    front = AsgiFront(OpenDataMicroCache(inner, paths=[r"/petitions/[^/]+\.json"], seconds=1, clock=clock), threads=2)

    async def request(method, path, body=b""):
        sent = []

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
                 "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
                 "headers": [(b"host", b"testserver")], "server": ("testserver", 80), "client": ("127.0.0.1", 5000)}
        await front(scope, lambda: _NotACoroutine({"type": "http.request", "body": body, "more_body": False}), send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")

    async def lifespan():
        messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
        sent = []

        async def send(message):
            sent.append(message["type"])

        async def receive():
            return next(messages)

        await front({"type": "lifespan"}, receive, send)
        return sent

    async def scenario():
        assert await lifespan() == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
        first = await request("GET", PATH)
        assert first == (200, b'{"call": 1}')
        assert await request("GET", PATH) == first  # stored: the WSGI application was not called
        assert len(bodies) == 1
        assert await request("POST", "/petitions/care-not-police/", b"name=Ada") == (200, b'{"call": 2}')
        assert bodies[-1] == b"name=Ada"  # a request body reaches Django through the thread pool
        clock.now += 1.1
        assert await request("GET", PATH) == (200, b'{"call": 3}')

    # In a thread of its own: after the browser tests, Playwright's loop runs in this one.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, scenario()).result()
