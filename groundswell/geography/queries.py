"""Reads: postcode lookups, the constituency directory, and signature counts by area.

`lookup_postcode` and `current_member` are the entry points other apps (letters) use.
"""

from django.db.models import Sum

from groundswell.core.pagecache import briefly_cached
from groundswell.geography.models import BoundarySet, Constituency, Member, Postcode
from groundswell.geography.names import family_name_sort_key, local_name, nation_name
from groundswell.geography.postcodes import is_valid_postcode

# The directory of the active set (650 rows with their MPs) is read on every petition page and
# JSON request; it never changes within a set (a new import is a new set), so each process
# keeps it, keyed by the set's id and creation time.
_directory_cache: dict[tuple, dict] = {}

SORT_KEYS = {"name", "nation", "mp", "signatures"}
DEFAULT_SORT = "-signatures"


def checked_sort(value: str | None) -> str:
    """A sort asked for in a URL, if it is one we offer ("name", "-signatures", ...), else the
    default: so a page cache keyed on it holds at most a handful of versions of a page."""
    if value and value.lstrip("-") in SORT_KEYS:
        return value
    return DEFAULT_SORT


def active_boundary_set() -> BoundarySet | None:
    return BoundarySet.objects.filter(is_active=True).first()


GEOGRAPHY_AVAILABLE_KEY = "geography-available"


def geography_available() -> bool:
    """Whether a pack has been imported; without one the site works without constituencies.
    Read on every signature, so briefly cached; switching a set on forgets it."""
    return briefly_cached(key=GEOGRAPHY_AVAILABLE_KEY, build=lambda: BoundarySet.objects.filter(is_active=True).exists())


def lookup_postcode(postcode: str) -> Constituency | None:
    """The constituency of a UK postcode typed in any case and spacing, or None when the format
    is wrong or the active set does not know it (new, or Northern Ireland). Never a guess."""
    if not is_valid_postcode(postcode):
        return None
    compact = "".join(postcode.split()).replace("-", "").upper()
    active_id = BoundarySet.objects.filter(is_active=True).values_list("pk", flat=True).first()
    if active_id is None:
        return None
    # By the primary key (boundary set, postcode): one index probe however many postcodes.
    row = Postcode.objects.filter(boundary_set_id=active_id, postcode=compact).select_related("constituency").first()
    return row.constituency if row is not None else None


def current_member(constituency: Constituency) -> Member | None:
    return Member.objects.filter(constituency=constituency, is_current=True).first()


def constituency_by_code(code: str) -> Constituency | None:
    return Constituency.objects.filter(boundary_set__is_active=True, gss_code=code).first()


def constituency_choices() -> list[tuple[str, str]]:
    """(code, "Name (Nation)") for every constituency of the active set, by name, in the page's language."""
    return [
        (code, f"{local_name(row)} ({nation_name(row['nation'])})")
        for code, row in sorted(constituency_directory().items(), key=lambda item: local_name(item[1]))
    ]


def constituency_directory() -> dict[str, dict]:
    """Every constituency of the active set by code, with its current MP: two queries, then
    kept by this process until another set is switched on."""
    active = BoundarySet.objects.filter(is_active=True).values_list("pk", "created_at").first()
    if active is None:
        return {}
    cached = _directory_cache.get(active)
    if cached is not None:
        return cached
    directory = {
        row["gss_code"]: {**row, "code": row["gss_code"], "mp": None}
        for row in Constituency.objects.filter(boundary_set_id=active[0]).values(
            "gss_code", "name", "name_cy", "nation", "region_code", "hex_q", "hex_r"
        )
    }
    members = Member.objects.filter(constituency__boundary_set_id=active[0], is_current=True).values(
        "constituency__gss_code", "name", "party", "parliament_member_id"
    )
    for member in members:
        directory[member["constituency__gss_code"]]["mp"] = {
            "name": member["name"], "party": member["party"], "parliament_member_id": member["parliament_member_id"],
        }
    _directory_cache.clear()
    _directory_cache[active] = directory
    return directory


def _sort_rows(rows: list[dict], sort: str) -> list[dict]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        descending, key = True, "signatures"

    def sort_key(row):
        if key == "signatures":
            return (row["signatures"], row["name"]) if not descending else (-row["signatures"], row["name"])
        if key == "mp":  # by family name, not by title and first name ("Sir", "Dr", "Mr")
            value = family_name_sort_key((row["mp"] or {}).get("name", ""))
        else:
            value = row[key].lower()
        return (value, row["name"])

    if key == "signatures":
        return sorted(rows, key=sort_key)
    return sorted(rows, key=sort_key, reverse=descending)


def constituency_rows(area_totals, *, sort: str = DEFAULT_SORT, include_zero: bool = True, directory=None) -> list[dict]:
    """One row per constituency of the active set (code, name, nation, mp, signatures, hex),
    given counts per area, [(country, constituency code, count)]: whatever is being counted
    (petitions' signatures today). The directory comes from memory."""
    if directory is None:
        directory = constituency_directory()
    totals = {code: n or 0 for country, code, n in area_totals if country == "GB"}
    rows = [{**entry, "signatures": totals.get(code, 0) or 0} for code, entry in directory.items()]
    if not include_zero:
        rows = [row for row in rows if row["signatures"]]
    return _sort_rows(rows, sort)


def nation_rows(area_totals, rows: list[dict] | None = None) -> list[dict]:
    """Counts per UK nation, then the UK without a constituency, then outside the UK, given counts
    per area (and, if already made, the constituency rows made from them)."""
    if rows is None:
        rows = constituency_rows(area_totals)
    nations: dict[str, int] = {nation: 0 for nation in Constituency.Nation.values}
    for row in rows:
        nations[row["nation"]] = nations.get(row["nation"], 0) + row["signatures"]
    by_country: dict[str, int] = {}
    for country, _code, n in area_totals:
        by_country[country] = by_country.get(country, 0) + (n or 0)
    in_constituencies = sum(nations.values())
    result = [{"nation": nation, "signatures": count} for nation, count in nations.items()]
    result.append({"nation": "UK, constituency not known", "signatures": max(0, (by_country.get("GB") or 0) - in_constituencies)})
    result.append({"nation": "Outside the UK", "signatures": sum(v or 0 for k, v in by_country.items() if k not in ("GB", ""))})
    if by_country.get(""):  # counted without any place (a paper sheet's total beyond its entered signers)
        result.append({"nation": "Place not known", "signatures": by_country[""]})
    return result


def constituency_names(codes) -> dict[str, str]:
    """Names for ONS constituency codes, from the active boundary set if it has the code, else
    from the newest set that does (a signature made before a boundary review keeps its name)."""
    names = {}
    rows = (
        Constituency.objects.filter(gss_code__in={c for c in codes if c})
        .order_by("boundary_set__is_active", "boundary_set__created_at")
        .values_list("gss_code", "name")
    )
    for code, name in rows:  # the best set comes last and wins
        names[code] = name
    return names
