"""Every write to webhooks: endpoints, emitting events, delivering them (the worker), pausing.

`emit(organisation_id=..., event=..., data=...)` is called inside the emitting action's
transaction: one `Delivery` row per subscribed endpoint commits or rolls back with the data it is
about (an outbox, as email's). Workers claim due rows, POST them signed (webhooks/signing.py),
record every attempt with the answer, and retry on one schedule. An endpoint that has failed for
WEBHOOKS_PAUSE_AFTER_HOURS with no success is paused and its owners are emailed (the one outbox).
"""

import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from groundswell.core import outbox
from groundswell.core.pagecache import briefly_cached, forget_on_commit
from groundswell.webhooks import addresses, events, signing
from groundswell.webhooks.models import Attempt, Delivery, Endpoint, PauseNotice

logger = logging.getLogger("groundswell.webhooks")

BATCH_SIZE = 50
CLAIM_SECONDS = 120
# After successive failures: quick at first, then hourly, about three days in all.
RETRY_DELAYS_SECONDS = [10, 30, 60, 300, 900, 1800] + [3600] * 70
RESPONSE_KEPT_CHARACTERS = 2000
PAUSE_NOTICE = "webhooks.endpoint_paused"
_SUBSCRIBED_KEY = "webhooks:subscribed-organisations"


class UnknownEvent(ValueError):
    pass


# -- endpoints -----------------------------------------------------------------------------------


@transaction.atomic
def register_endpoint(*, organisation_id: int, url: str, event_names: list[str], description: str = "", by_email: str = "") -> Endpoint:
    """Check the URL (HTTPS, public: addresses.check_url raises AddressRefused) and the events,
    then store the endpoint with a new signing secret."""
    addresses.check_url(url)
    unknown = set(event_names) - set(events.known())
    if unknown or not event_names:
        raise UnknownEvent(", ".join(sorted(unknown)))
    forget_on_commit(_SUBSCRIBED_KEY)
    return Endpoint.objects.create(
        organisation_id=organisation_id, url=url, events=sorted(set(event_names)), description=description,
        secret=signing.new_secret(), created_by_email=by_email,
    )


@transaction.atomic
def delete_endpoint(*, endpoint: Endpoint) -> None:
    forget_on_commit(_SUBSCRIBED_KEY)
    endpoint.delete()


@transaction.atomic
def resume_endpoint(*, endpoint: Endpoint) -> None:
    """Start delivering again: what waited is due now."""
    now = timezone.now()
    Endpoint.objects.filter(pk=endpoint.pk).update(paused_at=None, paused_reason="", failing_since=None)
    Delivery.objects.filter(endpoint=endpoint, state=Delivery.State.QUEUED).update(due_at=now, claimed_until=None)
    forget_on_commit(_SUBSCRIBED_KEY)


@transaction.atomic
def pause_endpoint(*, endpoint: Endpoint, reason: str = "paused by an owner") -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(paused_at=timezone.now(), paused_reason=reason)


# -- emitting ------------------------------------------------------------------------------------


def _subscribed_organisations() -> frozenset[int]:
    """Organisations with any endpoint: most have none, so most emits cost no query (cached briefly)."""
    return briefly_cached(
        key=_SUBSCRIBED_KEY, build=lambda: frozenset(Endpoint.objects.values_list("organisation_id", flat=True).distinct())
    )


def any_endpoints() -> bool:
    """Whether any organisation has an endpoint: emitters skip building payloads when none has."""
    return bool(_subscribed_organisations())


def emit(*, organisation_id: int, event: str, data: dict) -> int:
    """Queue `event` for each of the organisation's endpoints that asked for it. Call inside the
    action's transaction. Returns how many deliveries were queued. A paused endpoint still
    collects deliveries; they go when an owner resumes it."""
    if event not in events.known():
        raise UnknownEvent(event)
    if organisation_id not in _subscribed_organisations():
        return 0
    endpoints = [e for e in Endpoint.objects.filter(organisation_id=organisation_id) if event in e.events]
    if not endpoints:
        return 0
    now = timezone.now()
    rows = []
    for endpoint in endpoints:
        body = json.dumps({"type": event, "timestamp": now.isoformat(), "data": data}, cls=DjangoJSONEncoder, ensure_ascii=False)
        rows.append(
            Delivery(
                endpoint=endpoint, message_id=f"msg_{uuid.uuid4().hex}", event=event, body=body, created_at=now,
                due_at=None if endpoint.paused_at else now,
            )
        )
    Delivery.objects.bulk_create(rows)
    return len(rows)


# -- delivering (the worker) -----------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: following it could lead to a private address."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _claim(now) -> list[Delivery]:
    with transaction.atomic():
        due = Delivery.objects.filter(
            Q(state=Delivery.State.QUEUED, due_at__lte=now, endpoint__paused_at__isnull=True)
            & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        ).order_by("due_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        claimed = list(due.select_related("endpoint")[:BATCH_SIZE])
        Delivery.objects.filter(pk__in=[d.pk for d in claimed]).update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    return claimed


def _post(delivery: Delivery) -> tuple[int | None, str, str]:
    """(status code or None, the answer's first characters, an error) of one POST."""
    endpoint = delivery.endpoint
    try:
        addresses.check_url(endpoint.url)  # again: the name may point somewhere else by now
    except addresses.AddressRefused as refused:
        return None, "", str(refused)[:300]
    timestamp = int(time.time())
    request = urllib.request.Request(
        endpoint.url, data=delivery.body.encode(), method="POST",
        headers=signing.headers(endpoint.secret, delivery.message_id, timestamp, delivery.body),
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS) as response:
            return response.status, response.read(RESPONSE_KEPT_CHARACTERS).decode(errors="replace"), ""
    except urllib.error.HTTPError as error:
        body = error.read(RESPONSE_KEPT_CHARACTERS).decode(errors="replace") if error.fp else ""
        return error.code, body, ""
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, "", f"{type(error).__name__}: {getattr(error, 'reason', error)}"[:300]


def _record(delivery: Delivery, status, body: str, error: str, duration_ms: int, now) -> bool:
    """Record one attempt and its consequences; returns whether it was delivered."""
    ok = status is not None and 200 <= status < 300
    with transaction.atomic():
        Attempt.objects.create(delivery=delivery, at=now, status_code=status, response_body=body, error=error, duration_ms=duration_ms)
        attempts = delivery.attempts + 1
        if ok:
            Delivery.objects.filter(pk=delivery.pk).update(
                state=Delivery.State.DELIVERED, attempts=attempts, delivered_at=now, due_at=None, claimed_until=None, last_status=status
            )
            Endpoint.objects.filter(pk=delivery.endpoint_id).update(failing_since=None)
            return True
        if attempts > len(RETRY_DELAYS_SECONDS):
            Delivery.objects.filter(pk=delivery.pk).update(
                state=Delivery.State.GAVE_UP, attempts=attempts, due_at=None, claimed_until=None, last_status=status
            )
        else:
            Delivery.objects.filter(pk=delivery.pk).update(
                attempts=attempts, due_at=now + timedelta(seconds=RETRY_DELAYS_SECONDS[attempts - 1]), claimed_until=None,
                last_status=status,
            )
        Endpoint.objects.filter(pk=delivery.endpoint_id, failing_since__isnull=True).update(failing_since=now)
        _pause_if_failing_too_long(delivery.endpoint_id, now)
    return False


def _pause_if_failing_too_long(endpoint_id: int, now) -> None:
    limit = now - timedelta(hours=settings.WEBHOOKS_PAUSE_AFTER_HOURS)
    changed = Endpoint.objects.filter(pk=endpoint_id, paused_at__isnull=True, failing_since__lte=limit).update(
        paused_at=now, paused_reason="failing for a day"
    )
    if not changed:
        return
    endpoint = Endpoint.objects.get(pk=endpoint_id)
    logger.warning("Paused webhook endpoint %s after failing since %s", endpoint_id, endpoint.failing_since)
    for address in events.owner_addresses(endpoint.organisation_id):
        notice = PauseNotice.objects.create(endpoint=endpoint, email=address)
        outbox.enqueue(PAUSE_NOTICE, object_id=notice.pk, recipient=address)


def deliver_due_batch(*, now=None) -> int:
    """Claim and deliver one batch of due deliveries; returns how many were claimed."""
    claimed = _claim(now or timezone.now())
    for delivery in claimed:
        started = time.monotonic()
        try:
            status, body, error = _post(delivery)
        except Exception as unexpected:  # one bad delivery must not stop the rest
            logger.exception("Webhook delivery %s failed unexpectedly", delivery.pk)
            status, body, error = None, "", f"{type(unexpected).__name__}"[:300]
        _record(delivery, status, body, error, int((time.monotonic() - started) * 1000), now or timezone.now())
    return len(claimed)


def deliver_all_due() -> int:
    total = 0
    while claimed := deliver_due_batch():
        total += claimed
    return total


def prune_old_deliveries(*, now=None, days: int = 30) -> int:
    """Housekeeping: delivered and abandoned deliveries (and their attempts) after a month."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = Delivery.objects.filter(state__in=[Delivery.State.DELIVERED, Delivery.State.GAVE_UP], created_at__lt=cutoff).delete()
    PauseNotice.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# -- the email to owners when an endpoint is paused ---------------------------------------------


def _build_pause_notice(notice: PauseNotice, row) -> EmailMessage:
    context = {"url": notice.endpoint.url, "since": notice.endpoint.failing_since, "hours": settings.WEBHOOKS_PAUSE_AFTER_HOURS}
    return EmailMessage(
        subject=render_to_string("webhooks/emails/paused_subject.txt", context).strip(),
        body=render_to_string("webhooks/emails/paused.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.email],
    )


outbox.register(
    outbox.EmailKind(
        name=PAUSE_NOTICE,
        load=lambda ids: PauseNotice.objects.select_related("endpoint").in_bulk(ids),
        build=_build_pause_notice,
        transactional=True,  # about the owner's own settings, caused by no stranger
    )
)
