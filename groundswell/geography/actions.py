"""Every write to the geography tables: importing a pack, switching boundary sets on.

An import builds a complete new BoundarySet beside the active one (inactive, so nothing reads
it), compares it with the active set, then switches it on in one short transaction. Lookups
answer from the old set until that commit and from the new one after it: never from half a set.
The build commits in batches, so on SQLite other writers (people signing) get the database
between batches instead of waiting for the whole import.
"""

import time
from datetime import timedelta
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from groundswell.core.pagecache import forget_on_commit
from groundswell.geography import packs, queries
from groundswell.geography.models import BoundarySet, Constituency, Member, Postcode

DEFAULT_BOUNDARY_SET_NAME = "Westminster 2024"
POSTCODE_BATCH = 100_000


@dataclass
class Changes:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def __str__(self):
        return f"{self.created:,} created, {self.updated:,} updated, {self.unchanged:,} unchanged, {self.removed:,} removed"


@dataclass
class ImportReport:
    boundary_set: BoundarySet | None
    dry_run: bool
    constituencies: Changes = field(default_factory=Changes)
    members: Changes = field(default_factory=Changes)
    postcodes: Changes = field(default_factory=Changes)
    skipped: packs.SkippedLines = field(default_factory=packs.SkippedLines)
    seconds: float = 0.0


def import_pack(
    *,
    directory: Path,
    name: str = DEFAULT_BOUNDARY_SET_NAME,
    dry_run: bool = False,
    on_progress: Callable[[float], None] | None = None,
) -> ImportReport:
    """Load a pack as a new boundary set and switch it on (or, with dry_run, report and discard).

    Raises packs.PackError, naming the file and line, for a malformed pack; nothing in use
    changes then.
    """
    started = time.monotonic()
    directory = Path(directory)
    constituency_rows = packs.read_constituencies(directory)
    codes = {row.gss_code for row in constituency_rows}
    member_rows = packs.read_members(directory, codes)
    attribution = packs.read_attribution(directory)
    packs.postcodes_path(directory)

    _delete_abandoned_builds()
    previous = BoundarySet.objects.filter(is_active=True).first()
    with transaction.atomic():
        new_set = BoundarySet.objects.create(name=name, attribution=attribution)
        Constituency.objects.bulk_create(
            Constituency(
                boundary_set=new_set, gss_code=r.gss_code, name=r.name, name_cy=r.name_cy, nation=r.nation,
                region_code=r.region_code, hex_q=r.hex_q, hex_r=r.hex_r,
            )
            for r in constituency_rows
        )
        id_by_code = dict(Constituency.objects.filter(boundary_set=new_set).values_list("gss_code", "id"))
        Member.objects.bulk_create(
            Member(
                constituency_id=id_by_code[r.gss_code], name=r.name, party=r.party, email=r.email,
                parliament_member_id=r.parliament_member_id, is_current=True,
            )
            for r in member_rows
        )
    report = ImportReport(boundary_set=new_set, dry_run=dry_run)
    try:
        rows = packs.iter_postcodes(directory, codes, on_progress=on_progress, skipped=report.skipped)
        try:
            _load_postcodes(new_set.pk, ((postcode, id_by_code[code]) for postcode, code in rows))
        except (IntegrityError, connection.Database.IntegrityError):
            raise packs.find_repeated_postcode(directory) from None
        report.constituencies = _compare_constituencies(previous, constituency_rows)
        report.members = _compare_members(previous, member_rows)
        report.postcodes = _compare_postcodes(previous, new_set)
    except BaseException:
        delete_boundary_set(boundary_set=new_set)
        raise
    if dry_run:
        delete_boundary_set(boundary_set=new_set)
        report.boundary_set = None
    else:
        activate_boundary_set(boundary_set=new_set)
        _delete_superseded(new_set)
    report.seconds = time.monotonic() - started
    return report


def activate_boundary_set(*, boundary_set: BoundarySet) -> None:
    """Switch lookups to this set, in one transaction: readers see the old set or the new one."""
    with transaction.atomic():
        BoundarySet.objects.filter(is_active=True).exclude(pk=boundary_set.pk).update(is_active=False)
        BoundarySet.objects.filter(pk=boundary_set.pk).update(is_active=True, activated_at=timezone.now())
        forget_on_commit(queries.GEOGRAPHY_AVAILABLE_KEY)
    boundary_set.refresh_from_db()


def delete_boundary_set(*, boundary_set: BoundarySet) -> None:
    """Delete a set that is not in use, its postcodes first (in batches on SQLite)."""
    if BoundarySet.objects.filter(pk=boundary_set.pk, is_active=True).exists():
        raise ValueError("The active boundary set cannot be deleted; activate another first.")
    _delete_postcodes(boundary_set.pk)
    with transaction.atomic():
        Member.objects.filter(constituency__boundary_set_id=boundary_set.pk).delete()
        Constituency.objects.filter(boundary_set_id=boundary_set.pk).delete()
        BoundarySet.objects.filter(pk=boundary_set.pk).delete()


# --- Bulk loading -------------------------------------------------------------------------


def _batches(rows, size):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _load_postcodes(boundary_set_id: int, rows) -> int:
    """Insert (compact postcode, constituency id) rows: COPY on PostgreSQL, big executemany
    batches on SQLite. Each batch commits, so a long import never holds SQLite's write lock.
    A repeated postcode fails the primary key (the caller then finds its line)."""
    table = Postcode._meta.db_table
    loaded = 0
    if connection.vendor == "postgresql":
        for batch in _batches(rows, POSTCODE_BATCH):
            text = "".join(f"{boundary_set_id}\t{postcode}\t{cid}\n" for postcode, cid in batch)
            with transaction.atomic(), connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} (boundary_set_id, postcode, constituency_id) FROM STDIN") as copy:
                    copy.write(text)
            loaded += len(batch)
    else:
        sql = f"INSERT INTO {table} (boundary_set_id, postcode, constituency_id) VALUES (?, ?, ?)"
        connection.ensure_connection()
        raw = connection.connection
        raw.execute("PRAGMA cache_size = -65536")  # 64 MB page cache for the index build
        for batch in _batches(rows, POSTCODE_BATCH):
            with transaction.atomic():
                raw.executemany(sql, [(boundary_set_id, postcode, cid) for postcode, cid in batch])
            loaded += len(batch)
    return loaded


def _delete_postcodes(boundary_set_id: int) -> None:
    table = Postcode._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                cursor.execute(f"DELETE FROM {table} WHERE boundary_set_id = %s", [boundary_set_id])
            return
        while True:
            with transaction.atomic():
                cursor.execute(
                    f"DELETE FROM {table} WHERE rowid IN "
                    f"(SELECT rowid FROM {table} WHERE boundary_set_id = %s LIMIT %s)",
                    [boundary_set_id, POSTCODE_BATCH],
                )
                if cursor.rowcount < POSTCODE_BATCH:
                    return


ABANDONED_AFTER = timedelta(hours=1)


def _delete_abandoned_builds() -> None:
    """Sets left inactive and never activated by an import that was killed part-way. Only those
    over an hour old: a younger one may be another import still building (imports take seconds)."""
    stale = timezone.now() - ABANDONED_AFTER
    for abandoned in BoundarySet.objects.filter(is_active=False, activated_at__isnull=True, created_at__lt=stale):
        delete_boundary_set(boundary_set=abandoned)


def _delete_superseded(new_set: BoundarySet) -> None:
    """Earlier imports of the same set go; other (older) sets keep their constituencies and
    members, so old petitions' counts still have names, but lose their postcodes. A young set
    that was never switched on may be another import still building: it is left alone."""
    still_building = Q(activated_at__isnull=True, created_at__gte=timezone.now() - ABANDONED_AFTER)
    for old in BoundarySet.objects.filter(is_active=False).exclude(pk=new_set.pk).exclude(still_building):
        if old.name == new_set.name:
            delete_boundary_set(boundary_set=old)
        else:
            _delete_postcodes(old.pk)


# --- Counting what changed ----------------------------------------------------------------


def _diff(old: dict, new: dict) -> Changes:
    changes = Changes()
    for key, value in new.items():
        if key not in old:
            changes.created += 1
        elif old[key] != value:
            changes.updated += 1
        else:
            changes.unchanged += 1
    changes.removed = len(set(old) - set(new))
    return changes


def _compare_constituencies(previous, rows) -> Changes:
    old = {}
    if previous is not None:
        for c in Constituency.objects.filter(boundary_set=previous):
            old[c.gss_code] = (c.name, c.name_cy, c.nation, c.region_code, c.hex_q, c.hex_r)
    new = {r.gss_code: (r.name, r.name_cy, r.nation, r.region_code, r.hex_q, r.hex_r) for r in rows}
    return _diff(old, new)


def _compare_members(previous, rows) -> Changes:
    old = {}
    if previous is not None:
        for m in Member.objects.filter(constituency__boundary_set=previous, is_current=True).select_related("constituency"):
            old[m.constituency.gss_code] = (m.name, m.party, m.email, m.parliament_member_id)
    new = {r.gss_code: (r.name, r.party, r.email, r.parliament_member_id) for r in rows}
    return _diff(old, new)


def _compare_postcodes(previous, new_set) -> Changes:
    """One SQL pass over the new set, matched to the active one by postcode."""
    table, constituencies = Postcode._meta.db_table, Constituency._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE boundary_set_id = %s", [new_set.pk])
        (total,) = cursor.fetchone()
        if previous is None:
            return Changes(created=total)
        cursor.execute(
            f"SELECT COUNT(o.postcode), "
            f"COALESCE(SUM(CASE WHEN oc.gss_code = nc.gss_code THEN 1 ELSE 0 END), 0) "
            f"FROM {table} n "
            f"JOIN {table} o ON o.boundary_set_id = %s AND o.postcode = n.postcode "
            f"JOIN {constituencies} nc ON nc.id = n.constituency_id "
            f"JOIN {constituencies} oc ON oc.id = o.constituency_id "
            f"WHERE n.boundary_set_id = %s",
            [previous.pk, new_set.pk],
        )
        matched, unchanged = cursor.fetchone()
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE boundary_set_id = %s", [previous.pk])
        (old_total,) = cursor.fetchone()
    return Changes(created=total - matched, updated=matched - unchanged, unchanged=unchanged, removed=old_total - matched)
