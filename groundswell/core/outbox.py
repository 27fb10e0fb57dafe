"""The one outgoing-mail pipeline: every email the platform sends goes through here.

An app that sends email registers a *kind* (`register`): how to build the messages for a list
of outbox rows, and what to do when they are sent or refused for good. An action then calls
`enqueue` inside its own transaction, so the outbox row commits or rolls back with the data it
is about (a transactional outbox: no email without its data, no data without its email); for an
object being created, `create_and_enqueue` writes both at once (one statement on PostgreSQL).

Workers (`groundswell worker`, `send_due_batch`) send what is due:

1. claim a batch of due rows (FOR UPDATE SKIP LOCKED on PostgreSQL, so several workers take
   disjoint batches; SQLite's write transaction is exclusive) by setting `claimed_until`;
2. build the batch's messages, one query per kind, and send them over one open SMTP connection;
3. record each row's outcome: sent; postponed on the one retry schedule when the server says
   "try later" or cannot be reached; refused for good (the address goes on the suppression list
   and the kind's `on_refused` runs); or, when building or sending that one message fails in any
   other way, set aside with the error recorded, without touching the rest of the batch.

Outcomes are recorded even when something unexpected happens mid-batch, so a message the SMTP
server accepted is never sent again; only a worker killed between sending and recording can
send one twice (its claim expires after CLAIM_SECONDS and another worker takes the rows).

Each outgoing message has its own envelope sender, bounces+<token>@<bounce domain> (VERP), so a
bounce that comes back (`groundswell mail receive-bounce`) names its row. Addresses that bounced
hard, were refused for good or complained go on one suppression list: they are not mailed again,
except for `transactional` kinds (mail the person has just asked for themselves).

Kinds a stranger can trigger with someone else's address (`limited`) share a per-address limit
of MAIL_LIMIT_PER_ADDRESS_PER_HOUR: past it, `enqueue` queues nothing and says so, and the page
tells the person the email was already sent.
"""

import hashlib
import hmac
import json
import logging
import re
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes

from groundswell.core.mail import close_worker_connection, permanently_refused, send_over_open_connection
from groundswell.core.models import OutgoingEmail, SuppressedAddress

logger = logging.getLogger("groundswell.mail")

BATCH_SIZE = 100
CLAIM_SECONDS = 120
# Delays after successive temporary failures, for every kind: quick at first, then hourly,
# about three days in all. A kind may give up sooner (`give_up_after`).
RETRY_DELAYS_SECONDS = [30, 60, 120, 300, 600, 1800] + [3600] * 66

State = OutgoingEmail.State

# Errors that are about the mail server or our account with it, never about one recipient.
_SERVER_TROUBLE = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPNotSupportedError,
)


@dataclass(frozen=True)
class EmailKind:
    """One kind of email.

    `load(object_ids)` returns {object id: object} for a batch's rows of this kind in one query
    (an object missing from it is no longer there, and its email is cancelled); `build(obj, row)`
    makes one message, or None if it is no longer needed. `on_sent(rows)` and `on_refused(rows)`
    record the outcome in the app's own data.

    Every message is built in one language, activated around `build`: `language(obj, row)` if
    the kind gives one (the language a supporter signed or wrote in, stored on their row), else
    the row's `params["language"]` (given to `enqueue`), else the site's default. Templates,
    gettext and reverse() (the /cy/ links) then all speak it.
    """

    name: str
    load: Callable[[list[int]], dict]
    build: Callable[[object, OutgoingEmail], object]
    transactional: bool = False  # the person just asked for it: sent even to a suppressed address
    limited: bool = False  # a stranger can trigger it: counts toward the per-address hourly limit
    give_up_after: timedelta | None = None  # useless after this long (a password reset link)
    on_sent: Callable[[list[OutgoingEmail]], None] | None = None
    on_refused: Callable[[list[OutgoingEmail]], None] | None = None
    language: Callable[[object, OutgoingEmail], str] | None = None
    # A spam complaint (an ARF report to the envelope sender) about one of these rows.
    on_complaint: Callable[[list[OutgoingEmail]], None] | None = None


_KINDS: dict[str, EmailKind] = {}


def register(kind: EmailKind) -> EmailKind:
    """Called from an app's emails.py, which its AppConfig.ready() imports."""
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, EmailKind]:
    return dict(_KINDS)


def recipient_hash(address: str) -> str:
    """A keyed hash of the lower-cased address: the same address always gives the same value,
    and nobody without the secret key can tell whose it is."""
    return salted_hmac("groundswell.mail.recipient", (address or "").strip().lower(), algorithm="sha256").hexdigest()


def recipient_hashes(addresses: Iterable[str]) -> list[str]:
    """recipient_hash of each address, with the key derived once (salted_hmac derives it anew
    for every value): the same values, for bulk queueing."""
    key = hashlib.sha256(force_bytes("groundswell.mail.recipient" + settings.SECRET_KEY)).digest()
    return [hmac.new(key, force_bytes((address or "").strip().lower()), hashlib.sha256).hexdigest() for address in addresses]


@dataclass(frozen=True)
class Queued:
    queued: bool  # a new row was written
    reason: str = ""  # "limited" (too many to this address this hour), "waiting" (one is queued already)


def enqueue(kind: str, *, object_id: int, recipient: str, params: dict | None = None, due_at=None) -> Queued:
    """Queue one email of `kind` about `object_id` for `recipient` (an address: only its hash is
    stored). Call it inside the action's transaction. For an object being created, see
    `create_and_enqueue`."""
    spec = _KINDS[kind]
    digest = recipient_hash(recipient)
    now = timezone.now()
    if spec.limited:
        recent, already = _recent_and_waiting(kind, object_id, digest, now)
        if recent >= settings.MAIL_LIMIT_PER_ADDRESS_PER_HOUR:
            return Queued(False, "limited")
    else:
        already = OutgoingEmail.objects.filter(kind=kind, object_id=object_id, recipient_hash=digest, state=State.QUEUED).exists()
    if already:
        return Queued(True, "waiting")  # one is queued already, and will be built afresh when sent
    row = OutgoingEmail(kind=kind, object_id=object_id, recipient_hash=digest, params=params or {}, created_at=now, due_at=due_at or now)
    # Two requests at the same instant: the partial unique constraint keeps one row.
    OutgoingEmail.objects.bulk_create([row], ignore_conflicts=True)
    return Queued(True)


# The columns the hand-written INSERTs give; the others start empty (NULL).
_INSERTED_COLUMNS = ["kind", "object_id", "params", "recipient_hash", "state", "created_at", "due_at", "attempts", "last_error"]


def create_and_enqueue(kind: str, subject, *, recipient: str, params: dict | None = None) -> Queued:
    """Save `subject`, a new model instance, and queue this kind's email about it.

    Nothing can be queued yet about an object being created, so a limited kind needs only the
    address's count for the hour, and the email's row can go in with the object's own. On
    PostgreSQL both are one statement, `WITH subject AS (INSERT … RETURNING id) INSERT INTO
    <outbox> SELECT … FROM subject WHERE <under the limit>`: one round trip where a transaction
    with two INSERTs takes four (BEGIN, the two, COMMIT), on every signature. One statement is
    atomic by itself, so outside a transaction none is opened; inside one it is part of it.
    Elsewhere (SQLite) the object is saved and its email queued in one transaction. Either way,
    if the object's INSERT fails (an IntegrityError) nothing of either is left.
    """
    digest = recipient_hash(recipient)
    now = timezone.now()
    if connection.vendor != "postgresql":
        with transaction.atomic(savepoint=False):
            subject.save(force_insert=True)
            return _enqueue_new_subject(kind, subject.pk, digest, params or {}, now)
    ops = connection.ops
    meta = subject._meta
    insert, insert_params = _insert_returning_pk(subject)
    email, email_params = _new_subject_email_sql(kind, "subject." + ops.quote_name(meta.pk.column), digest, params or {}, now, "FROM subject")
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH subject AS ({insert}), email AS ({email} RETURNING 1) "
            f"SELECT subject.{ops.quote_name(meta.pk.column)}, EXISTS (SELECT 1 FROM email) FROM subject",
            [*insert_params, *email_params],
        )
        pk, queued = cursor.fetchone()
    subject.pk = pk
    subject._state.adding = False
    subject._state.db = connection.alias
    return Queued(True) if queued else Queued(False, "limited")


def _insert_returning_pk(instance) -> tuple[str, list]:
    """The ORM's own INSERT … RETURNING <pk> for an unsaved instance, its values prepared as
    save() prepares them (defaults, pre_save, the database's adaptation), without running it."""
    from django.db.models.sql import InsertQuery

    meta = instance._meta
    fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field and not field.generated]
    query = InsertQuery(type(instance))
    query.insert_values(fields, [instance])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [meta.pk]
    [(sql, params)] = compiler.as_sql()
    return sql, list(params)


def _new_subject_email_sql(kind: str, object_id_sql: str, digest: str, params: dict, now, source: str = "") -> tuple[str, list]:
    """INSERT … SELECT of the email's row, for a subject with nothing queued about it yet; for a
    limited kind, WHERE (the address's count this hour, as `_over_limit` counts it) < the limit.
    `object_id_sql` is a placeholder or a column of `source` (a FROM clause). The partial unique
    constraint still keeps one queued row per subject (ON CONFLICT DO NOTHING)."""
    ops = connection.ops
    table = ops.quote_name(OutgoingEmail._meta.db_table)
    names = ", ".join(ops.quote_name(name) for name in _INSERTED_COLUMNS)
    as_json = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    at_now = ops.adapt_datetimefield_value(now)
    sql = f"INSERT INTO {table} ({names}) SELECT %s, {object_id_sql}, {as_json}, %s, %s, %s, %s, 0, '' {source}"
    values = [kind, json.dumps(params), digest, State.QUEUED.value, at_now, at_now]
    if _KINDS[kind].limited:
        limited = _limited_kinds()
        sql += (
            f" WHERE (SELECT COUNT(*) FROM {table} WHERE recipient_hash = %s AND kind IN ({', '.join(['%s'] * len(limited))}) "
            f"AND created_at > %s) < %s"
        )
        values += [digest, *limited, ops.adapt_datetimefield_value(now - timedelta(hours=1)), settings.MAIL_LIMIT_PER_ADDRESS_PER_HOUR]
    else:
        sql += " WHERE 1 = 1"  # SQLite reads ON CONFLICT after a bare SELECT as a join's ON
    return sql + " ON CONFLICT DO NOTHING", values


def _enqueue_new_subject(kind: str, object_id: int, digest: str, params: dict, now) -> Queued:
    """The email's row for a subject saved in this transaction (SQLite's `create_and_enqueue`)."""
    sql, values = _new_subject_email_sql(kind, "%s", digest, params, now)
    values.insert(1, object_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        inserted = cursor.rowcount == 1
    return Queued(True) if inserted else Queued(False, "limited")


def is_waiting(kind: str, *, object_id: int) -> bool:
    """Whether an email of this kind about this object is still queued (not yet sent)."""
    return OutgoingEmail.objects.filter(kind=kind, object_id=object_id, state=State.QUEUED).exists()


def enqueue_many(kind: str, items: Iterable[tuple[int, str, dict | None, object]]) -> int:
    """Queue many emails of one kind: (object id, recipient, params, due_at) each.

    For bulk mail (supporter updates): the caller has made each (object, recipient) unique
    already, so no row is looked up first, and a row that would break the one-queued-per-subject
    constraint is skipped (ON CONFLICT DO NOTHING). The rows go in as multi-row INSERTs of plain
    values: Django's bulk_create spends about half a millisecond per row preparing values, which
    is most of a minute for 100,000 emails. Not for `limited` kinds, whose per-address limit
    needs each row counted. Call it inside the action's transaction. Returns how many were offered."""
    if _KINDS[kind].limited:
        raise ValueError(f"{kind} is limited per address: use enqueue()")
    ops = connection.ops
    now = timezone.now()
    items = list(items)
    hashes = recipient_hashes(recipient for _, recipient, _, _ in items)
    table = ops.quote_name(OutgoingEmail._meta.db_table)
    names = ", ".join(ops.quote_name(name) for name in _INSERTED_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The driver's own cursor binds parameters on the server (Django's quotes them into
            # the statement's text, which for arrays of thousands of values is the slow part).
            cursor = psycopg.Cursor(connection.connection)
            # Three arrays as parameters, one statement per 10,000 rows: no statement text to
            # build or parse per row.
            for start in range(0, len(items), 10_000):
                part = items[start:start + 10_000]
                cursor.execute(
                    f"INSERT INTO {table} ({names}) SELECT %s, o, p::jsonb, h, %s, %s, COALESCE(d, %s), 0, '' "
                    "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::timestamptz[]) AS t(o, p, h, d) ON CONFLICT DO NOTHING",
                    [kind, State.QUEUED.value, now, now, [row[0] for row in part], [json.dumps(row[2] or {}) for row in part],
                     hashes[start:start + 10_000], [row[3] for row in part]],
                )
            return len(items)
        at_now = ops.adapt_datetimefield_value(now)
        rows = [
            (kind, object_id, json.dumps(params) if params else "{}", digest, State.QUEUED, at_now,
             ops.adapt_datetimefield_value(due_at) if due_at else at_now, 0, "")
            for (object_id, _, params, due_at), digest in zip(items, hashes)
        ]
        one = "(" + ", ".join(["%s"] * len(_INSERTED_COLUMNS)) + ")"
        per_statement = 2000  # 18,000 parameters: inside SQLite's limit
        for start in range(0, len(rows), per_statement):
            part = rows[start:start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(part))} ON CONFLICT DO NOTHING",
                [value for row in part for value in row],
            )
    return len(rows)


def over_limit(recipient: str) -> bool:
    """Whether this address has had as many stranger-triggerable emails this hour as it may."""
    return _over_limit(recipient_hash(recipient), timezone.now())


def _limited_kinds() -> list[str]:
    return [name for name, other in _KINDS.items() if other.limited]


def _over_limit(digest: str, now) -> bool:
    recent = OutgoingEmail.objects.filter(recipient_hash=digest, kind__in=_limited_kinds(), created_at__gt=now - timedelta(hours=1))
    return recent.count() >= settings.MAIL_LIMIT_PER_ADDRESS_PER_HOUR


def _recent_and_waiting(kind: str, object_id: int, digest: str, now) -> tuple[int, bool]:
    """(how many of the address's rows count toward its hourly limit, as _over_limit counts them;
    whether one of this kind about this object is queued for it already), in one query.

    Every signature asks both: one round trip instead of two, and plain SQL, as compiling the
    ORM's filtered aggregate cost more CPU than the query. Each side of the OR names the address,
    so each can use its own index (the address's rows by time; the one-queued-per-subject one)."""
    ops = connection.ops
    table = ops.quote_name(OutgoingEmail._meta.db_table)
    limited = _limited_kinds()
    in_limited = ", ".join(["%s"] * len(limited))
    since = ops.adapt_datetimefield_value(now - timedelta(hours=1))
    recent = f"(recipient_hash = %s AND kind IN ({in_limited}) AND created_at > %s)"
    waiting = "(recipient_hash = %s AND kind = %s AND object_id = %s AND state = %s)"
    recent_params = [digest, *limited, since]
    waiting_params = [digest, kind, object_id, State.QUEUED.value]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(CASE WHEN {recent} THEN 1 END), COUNT(CASE WHEN {waiting} THEN 1 END) FROM {table} "
            f"WHERE {recent} OR {waiting}",
            [*recent_params, *waiting_params, *recent_params, *waiting_params],
        )
        recent_count, waiting_count = cursor.fetchone()
    return recent_count, waiting_count > 0


def cancel(kind: str, *, object_ids: Iterable[int]) -> int:
    """Drop queued emails about these objects (deleted data must not be mailed)."""
    return OutgoingEmail.objects.filter(kind=kind, object_id__in=list(object_ids), state=State.QUEUED).update(
        state=State.CANCELLED, due_at=None, claimed_until=None, finished_at=timezone.now()
    )


# -- sending ---------------------------------------------------------------------------------


def _claimable(now):
    return Q(state=State.QUEUED, due_at__lte=now) & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))


def claim_due(*, limit: int = BATCH_SIZE) -> list[OutgoingEmail]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutgoingEmail.objects.filter(_claimable(now))
            .order_by("due_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            OutgoingEmail.objects.filter(_claimable(now), pk__in=ids).update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    return list(OutgoingEmail.objects.filter(pk__in=ids).order_by("due_at")) if ids else []


def bounce_token(row_id: int) -> str:
    """The VERP token for a row: its id and a keyed check, lower-case (some servers lower-case
    the local part), so a bounce cannot be forged for a message that was not sent."""
    check = salted_hmac("groundswell.mail.bounce", str(row_id), algorithm="sha256").hexdigest()[:20]
    return f"{row_id}x{check}"


def row_id_from_bounce_token(token: str) -> int | None:
    number, _, check = (token or "").lower().partition("x")
    if not number.isdigit() or not check:
        return None
    return int(number) if constant_time_compare(bounce_token(int(number)), f"{number}x{check}") else None


def bounce_domain() -> str:
    from email.utils import parseaddr

    return settings.MAIL_BOUNCE_DOMAIN or parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def envelope_sender(row_id: int) -> str:
    return f"bounces+{bounce_token(row_id)}@{bounce_domain()}"


def _prepare(message, row: OutgoingEmail):
    """Give the message its row's envelope sender, keeping the visible From."""
    visible_from = message.extra_headers.get("From") or message.from_email
    message.extra_headers["From"] = visible_from
    message.from_email = envelope_sender(row.pk)
    return message


_ADDRESS = re.compile(r"[^\s<>\"'@]+@[^\s<>\"']+")


def _error_text(error: BaseException) -> str:
    """What went wrong, for the row and /health/: codes and the server's words, with any
    address in them blanked out (servers often quote the recipient)."""
    return _ADDRESS.sub("<address>", _describe(error))


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}" for code, reply in error.recipients.values()})
        return ("Recipient refused: " + "; ".join(codes))[:300]
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
        return f"{type(error).__name__}: {error.smtp_code} {reply}"[:300]
    return f"{type(error).__name__}: {error}"[:300]


@dataclass
class _Outcomes:
    sent: list
    later: list  # (row, error text)
    refused: list  # (row, error text)
    broken: list  # (row, error text): could not be built or sent for a reason retrying cannot fix
    cancelled: list
    suppressed: list


def send_due_batch(*, limit: int = BATCH_SIZE) -> tuple[int, int]:
    """Claim and send one batch of due emails; returns (claimed, sent)."""
    rows = claim_due(limit=limit)
    if not rows:
        return 0, 0
    outcomes = _Outcomes([], [], [], [], [], [])
    try:
        _send_rows(rows, outcomes)
    finally:
        # Whatever happened above, record what did happen: a sent message is never sent again.
        _record(rows, outcomes)
    return len(rows), len(outcomes.sent)


def _language_of(spec: EmailKind, subject, row: OutgoingEmail) -> str:
    """The language to build this message in (see EmailKind): a supported one, or the default."""
    wanted = (spec.language(subject, row) if spec.language is not None and subject is not None else "") or row.params.get("language") or ""
    codes = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in codes else settings.LANGUAGE_CODE


def _send_rows(rows: list[OutgoingEmail], outcomes: _Outcomes) -> None:
    now = timezone.now()
    suppressed = set(
        SuppressedAddress.objects.filter(recipient_hash__in={row.recipient_hash for row in rows}).values_list("recipient_hash", flat=True)
    )
    by_kind: dict[str, list[OutgoingEmail]] = {}
    for row in rows:
        spec = _KINDS.get(row.kind)
        if spec is None:
            outcomes.broken.append((row, f"Unknown kind of email: {row.kind}"))
        elif spec.give_up_after is not None and row.created_at < now - spec.give_up_after:
            outcomes.cancelled.append(row)
        elif row.recipient_hash in suppressed and not spec.transactional:
            outcomes.suppressed.append(row)
        else:
            by_kind.setdefault(row.kind, []).append(row)
    server_down = None
    for kind, kind_rows in by_kind.items():
        if server_down is not None:
            outcomes.later.extend((row, server_down) for row in kind_rows)
            continue
        spec = _KINDS[kind]
        try:
            objects = spec.load(sorted({row.object_id for row in kind_rows}))
        except Exception as error:  # a bug or bad data in one kind must not stop the others
            logger.exception("Could not load the data for %s emails", kind)
            outcomes.broken.extend((row, f"Could not load: {_error_text(error)}") for row in kind_rows)
            continue
        for index, row in enumerate(kind_rows):
            subject = objects.get(row.object_id)
            try:
                with translation.override(_language_of(spec, subject, row)):
                    message = None if subject is None else spec.build(subject, row)
            except Exception as error:
                logger.exception("Could not build a %s email (outbox row %s); set aside", kind, row.pk)
                outcomes.broken.append((row, f"Could not build: {_error_text(error)}"))
                continue
            if message is None:
                outcomes.cancelled.append(row)
                continue
            try:
                send_over_open_connection(_prepare(message, row))
            except smtplib.SMTPRecipientsRefused as error:
                (outcomes.refused if permanently_refused(error) else outcomes.later).append((row, _error_text(error)))
            except smtplib.SMTPResponseException as error:
                if isinstance(error, _SERVER_TROUBLE):
                    server_down = _server_down(error, row, kind_rows[index + 1:], outcomes)
                    break
                # The server refused this one message (its content, say): 4xx try later; 5xx it
                # will never take this message, which is not the address's fault.
                (outcomes.broken if error.smtp_code >= 500 else outcomes.later).append((row, _error_text(error)))
                close_worker_connection()  # the session may be in any state now; start afresh
            except OSError as error:  # any other SMTP error, or the network: the server's trouble
                server_down = _server_down(error, row, kind_rows[index + 1:], outcomes)
                break
            except Exception as error:  # an address or message the mail library cannot handle
                logger.exception("Could not send a %s email (outbox row %s); set aside", kind, row.pk)
                outcomes.broken.append((row, _error_text(error)))
            else:
                outcomes.sent.append(row)


def _server_down(error, row, rest, outcomes) -> str:
    """The server cannot be reached, or will not take mail from us at all: keep this row and the
    rest of the batch for later. Nobody's address is to blame."""
    close_worker_connection()
    text = _error_text(error)
    logger.warning("Could not send through the mail server (%s); will retry later", text)
    outcomes.later.append((row, text))
    outcomes.later.extend((other, text) for other in rest)
    return text


def _record(rows: list[OutgoingEmail], outcomes: _Outcomes) -> None:
    now = timezone.now()
    done = {row.pk for row in outcomes.sent}
    done |= {row.pk for row, _ in outcomes.later + outcomes.refused + outcomes.broken}
    done |= {row.pk for row in outcomes.cancelled + outcomes.suppressed}
    finished = dict(due_at=None, claimed_until=None, finished_at=now)
    if outcomes.sent:
        OutgoingEmail.objects.filter(pk__in=[row.pk for row in outcomes.sent]).update(state=State.SENT, last_error="", **finished)
    if outcomes.cancelled:
        OutgoingEmail.objects.filter(pk__in=[row.pk for row in outcomes.cancelled]).update(state=State.CANCELLED, **finished)
    if outcomes.suppressed:
        OutgoingEmail.objects.filter(pk__in=[row.pk for row in outcomes.suppressed]).update(state=State.SUPPRESSED, **finished)
    for row, error in outcomes.broken:
        OutgoingEmail.objects.filter(pk=row.pk).update(state=State.FAILED, last_error=error, attempts=row.attempts + 1, **finished)
    for row, error in outcomes.refused:
        OutgoingEmail.objects.filter(pk=row.pk).update(state=State.FAILED, last_error=error, attempts=row.attempts + 1, **finished)
    for row, error in outcomes.later:
        attempts = row.attempts + 1
        if attempts > len(RETRY_DELAYS_SECONDS):
            OutgoingEmail.objects.filter(pk=row.pk).update(state=State.FAILED, last_error=error, attempts=attempts, **finished)
        else:
            due = now + timedelta(seconds=RETRY_DELAYS_SECONDS[attempts - 1])
            OutgoingEmail.objects.filter(pk=row.pk).update(attempts=attempts, due_at=due, claimed_until=None, last_error=error)
    # Rows the loop never reached (an unexpected error escaped it): release them for a retry.
    untouched = [row.pk for row in rows if row.pk not in done]
    if untouched:
        OutgoingEmail.objects.filter(pk__in=untouched).update(claimed_until=None)
    # The apps' own records, after the outbox's, each kind on its own.
    _notify(outcomes.sent, "on_sent")
    refused_rows = [row for row, _ in outcomes.refused] + outcomes.suppressed
    for row in [row for row, _ in outcomes.refused]:
        suppress(row.recipient_hash, reason=SuppressedAddress.Reason.REFUSED, kind=row.kind)
    _notify(refused_rows, "on_refused")


def _notify(rows: list[OutgoingEmail], hook: str) -> None:
    by_kind: dict[str, list[OutgoingEmail]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    for kind, kind_rows in by_kind.items():
        callback = getattr(_KINDS.get(kind), hook, None)
        if callback is None:
            continue
        try:
            callback(kind_rows)
        except Exception:  # the email's own outcome is recorded; the app's record must not undo it
            logger.exception("%s of %s emails failed", hook, kind)


def send_all_due() -> int:
    """Send until nothing is due; returns how many were sent (the worker's --batch, tests)."""
    total = 0
    while True:
        claimed, sent = send_due_batch()
        total += sent
        if not claimed:
            return total


# -- bounces, complaints, suppression -------------------------------------------------------


def suppress(digest: str, *, reason: str, kind: str = "") -> None:
    SuppressedAddress.objects.get_or_create(recipient_hash=digest, defaults={"reason": reason, "kind": kind})


def is_suppressed(address: str) -> bool:
    return SuppressedAddress.objects.filter(recipient_hash=recipient_hash(address)).exists()


def record_bounce(*, token: str, complaint: bool = False) -> OutgoingEmail | None:
    """A bounce (or a spam complaint) came back for the row this token names: suppress the
    address and tell the kind (letters flag the contact and tell the writer). Returns the row,
    or None for an unknown or forged token. A second report for the same row changes nothing."""
    row_id = row_id_from_bounce_token(token)
    row = OutgoingEmail.objects.filter(pk=row_id).first() if row_id else None
    if row is None:
        return None
    reason = SuppressedAddress.Reason.COMPLAINED if complaint else SuppressedAddress.Reason.BOUNCED
    suppress(row.recipient_hash, reason=reason, kind=row.kind)
    first = OutgoingEmail.objects.filter(pk=row.pk, bounced_at__isnull=True).update(bounced_at=timezone.now())
    if first:
        _notify([row], "on_complaint" if complaint else "on_refused")
    return row


# -- for /health/ and housekeeping ------------------------------------------------------------


def queue_state(*, now=None) -> dict:
    """What is waiting and how the mail server has been answering: no addresses, no content."""
    now = now or timezone.now()
    due = OutgoingEmail.objects.filter(state=State.QUEUED, due_at__lte=now)
    oldest = due.order_by("due_at").values_list("due_at", flat=True).first()
    retrying = OutgoingEmail.objects.filter(state=State.QUEUED, attempts__gt=0)
    last_error = retrying.exclude(last_error="").order_by("-due_at").values_list("last_error", flat=True).first()
    recent_failures = OutgoingEmail.objects.filter(state=State.FAILED, finished_at__gt=now - timedelta(hours=1)).count()
    return {
        "due": due.count(),
        "oldest_due_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0,
        "retrying": retrying.count(),
        "last_error": last_error or "",
        "failed_last_hour": recent_failures,
    }


def prune_finished(*, now=None) -> int:
    """Forget finished rows after MAIL_OUTBOX_RETENTION_DAYS (the per-address limit needs an
    hour of them; bounces rarely come back after a few days)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MAIL_OUTBOX_RETENTION_DAYS)
    deleted, _ = OutgoingEmail.objects.exclude(state=State.QUEUED).filter(finished_at__lt=cutoff).delete()
    return deleted
