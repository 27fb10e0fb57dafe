"""The counting design: sharded counters derived from confirmed signatures.

Why not a `count` column on the petition? Because every confirmation would update that one row,
and on PostgreSQL each would wait for the previous transaction to commit: the "hot row" that
took down the UK Parliament petitions site in 2019. Instead a confirmation adds one to one of
SIGNATURE_COUNT_SHARDS rows for its (petition, country, constituency), chosen at random, in the
same transaction that marks the signature confirmed: counted exactly once, visible as soon as it
commits. Reading a count sums a few dozen to a few thousand small rows through an index.

`recount_petition` rebuilds the rows from the signatures. On PostgreSQL it takes an exclusive
advisory lock on the petition that confirmations take in shared mode, so no confirmation can
slip between its read and its write; on SQLite every write transaction is already exclusive.
"""

import random

from django.conf import settings
from django.db import connection
from django.db.models import Count

from groundswell.petitions.models import COUNTED, Signature, SignatureCount

_ADVISORY_LOCK_NAMESPACE = 0x6753  # "gS": keeps our advisory lock keys apart from others'


def lock_petition_counts(petition_id: int, *, shared: bool) -> None:
    """Within the current transaction, serialise recounts against confirmations (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [_ADVISORY_LOCK_NAMESPACE, petition_id])


def add_to_count(*, petition_id: int, country: str, constituency_code: str, delta: int) -> None:
    """Add delta (+1 or -1) to one random shard of the area's count, creating the row if needed."""
    table = SignatureCount._meta.db_table
    shard = random.randrange(max(1, settings.SIGNATURE_COUNT_SHARDS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (petition_id, country, constituency_code, shard, count) "
            f"VALUES (%s, %s, %s, %s, %s) "
            f"ON CONFLICT (petition_id, country, constituency_code, shard) "
            f"DO UPDATE SET count = {table}.count + excluded.count",
            [petition_id, country, constituency_code, shard, delta],
        )


def rebuild_counts(petition_id: int) -> int:
    """Replace a petition's count rows with fresh aggregates of its confirmed, unflagged signatures."""
    lock_petition_counts(petition_id, shared=False)
    SignatureCount.objects.filter(petition_id=petition_id).delete()
    rows = (
        Signature.objects.filter(COUNTED, petition_id=petition_id)
        .values("country", "constituency_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    SignatureCount.objects.bulk_create(
        SignatureCount(
            petition_id=petition_id, country=row["country"], constituency_code=row["constituency_code"], shard=0, count=row["n"]
        )
        for row in rows
    )
    return sum(row["n"] for row in rows)
