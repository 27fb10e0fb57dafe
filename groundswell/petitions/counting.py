"""The counting design: sharded counters derived from confirmed signatures.

Why not a `count` column on the petition? Because every confirmation would update that one row,
and on PostgreSQL each would wait for the previous transaction to commit: the "hot row" that
took down the UK Parliament petitions site in 2019. Instead a confirmation adds one to one of
SIGNATURE_COUNT_SHARDS rows for its (petition, country, constituency), chosen at random, in the
same transaction that marks the signature confirmed: counted exactly once, visible as soon as it
commits. Reading a count sums a few dozen to a few thousand small rows through an index.

Paper and assisted signatures are counted the same way, in rows of their own channel, so the page
can show them apart. A paper sheet's declared total beyond the signers entered from it
(`sheet_remainder`) is counted in a paper row with no area (country "", no constituency).

`recount_petition` rebuilds the rows from the signatures. On PostgreSQL it takes an exclusive
advisory lock on the petition that confirmations take in shared mode, so no confirmation can
slip between its read and its write; on SQLite every write transaction is already exclusive.
"""

import random

from django.conf import settings
from django.db import connection
from django.db.models import Count

from groundswell.petitions.models import COUNTED, Channel, PaperSheet, Signature, SignatureCount

_ADVISORY_LOCK_NAMESPACE = 0x6753  # "gS": keeps our advisory lock keys apart from others'


def lock_petition_counts(petition_id: int, *, shared: bool) -> None:
    """Within the current transaction, serialise recounts against confirmations (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [_ADVISORY_LOCK_NAMESPACE, petition_id])


def add_to_count(*, petition_id: int, country: str, constituency_code: str, delta: int, channel: str = Channel.ONLINE) -> None:
    """Add delta to one random shard of the area's (and channel's) count, creating the row if needed."""
    table = SignatureCount._meta.db_table
    shard = random.randrange(max(1, settings.SIGNATURE_COUNT_SHARDS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (petition_id, country, constituency_code, channel, shard, count) "
            f"VALUES (%s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (petition_id, country, constituency_code, channel, shard) "
            f"DO UPDATE SET count = {table}.count + excluded.count",
            [petition_id, country, constituency_code, channel, shard, delta],
        )


def rebuild_counts(petition_id: int) -> int:
    """Replace a petition's count rows with fresh aggregates of its confirmed, unflagged signatures."""
    lock_petition_counts(petition_id, shared=False)
    SignatureCount.objects.filter(petition_id=petition_id).delete()
    rows = list(
        Signature.objects.filter(COUNTED, petition_id=petition_id)
        .values("country", "constituency_code", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    remainder = sum(sheet_remainder(sheet) for sheet in PaperSheet.objects.filter(petition_id=petition_id))
    if remainder:
        rows.append({"country": "", "constituency_code": "", "channel": Channel.PAPER, "n": remainder})
    SignatureCount.objects.bulk_create(
        SignatureCount(
            petition_id=petition_id, country=row["country"], constituency_code=row["constituency_code"],
            channel=row["channel"], shard=0, count=row["n"],
        )
        for row in rows
    )
    return sum(row["n"] for row in rows)


def sheet_remainder(sheet: PaperSheet) -> int:
    """What a sheet adds to the count beyond its signers entered one by one: its declared total
    less every signer entered from it (counted or held back), never below nothing; nothing once
    the sheet is withdrawn. Entered signers are counted by COUNTED like any signature."""
    if sheet.withdrawn_at is not None or sheet.total is None:
        return 0
    return max(0, sheet.total - Signature.objects.filter(sheet=sheet).count())


def add_to_sheet_remainder(*, petition_id: int, delta: int) -> None:
    """Move the count of paper signatures without an area (a sheet's remainder) by delta."""
    if delta:
        add_to_count(petition_id=petition_id, country="", constituency_code="", channel=Channel.PAPER, delta=delta)
