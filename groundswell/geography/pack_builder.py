"""Building a geography pack from the official sources (`groundswell geography build-pack`).

Downloads, with the standard library only (a few requests, no credentials):

- constituencies: ONS "Westminster Parliamentary Constituencies (July 2024) Names and Codes in the
  UK", as CSV (columns PCON24CD, PCON24NM, PCON24NMW);
- hexes: Open Innovations' `uk-constituencies-2023.hexjson` (positions and ONS region codes), with
  its five pre-2024 Scottish codes mapped to their 2024 successors;
- members: the UK Parliament Members API, current Commons members page by page, and each
  member's contact details for the parliamentary email address;
- postcodes: the ONS Postcode Directory (ONSPD) CSV, zipped or not (columns pcds, doterm, pcon):
  live postcodes only (no termination date) with a 2024 constituency.

Each address can be overridden (`--source-url NAME=URL`), which is how the tests serve small
files in these formats from a local web server.
"""

import csv
import gzip
import io
import json
import re
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from groundswell.geography.packs import CONSTITUENCY_COLUMNS, DEFAULT_ATTRIBUTION, MEMBER_COLUMNS
from groundswell.geography.postcodes import is_valid_postcode, normalise_postcode

# The ONS publishes each release of its files at a new address (an item id on the Open Geography
# Portal, geoportal.statistics.gov.uk), so those two have no default: the builder asks for them.
# The Members API and the hexmap have stable addresses.
DEFAULT_SOURCES = {
    "constituencies": "",
    "hexjson": "https://raw.githubusercontent.com/odileeds/hexmaps/gh-pages/maps/uk-constituencies-2023.hexjson",
    "members": "https://members-api.parliament.uk/api/Members/Search?House=1&IsCurrentMember=true",
    "member_contact": "https://members-api.parliament.uk/api/Members/{id}/Contact",
    "postcodes": "",
}
MISSING_SOURCE_HELP = {
    "constituencies": "the CSV download of “Westminster Parliamentary Constituencies (July 2024) Names and Codes in the UK”",
    "postcodes": "the ZIP (or CSV) download of the latest ONS Postcode Directory (ONSPD)",
}
# Open Innovations' 2023 hexmap predates five Scottish code changes (pack README).
HEX_CODE_CHANGES = {
    "S14000006": "S14000107", "S14000008": "S14000108", "S14000010": "S14000109",
    "S14000040": "S14000110", "S14000058": "S14000111",
}
NATION_BY_PREFIX = {"E": "England", "S": "Scotland", "W": "Wales", "N": "Northern Ireland"}
USER_AGENT = "Groundswell geography pack builder (https://www.gnu.org/licenses/agpl-3.0.html)"
PAGE_SIZE = 20


class SourceError(Exception):
    """A source could not be downloaded or was not in the expected format."""


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise SourceError(f"Could not download {url}: {error}") from None


def _fetch_json(url: str):
    try:
        return json.loads(_fetch(url))
    except json.JSONDecodeError as error:
        raise SourceError(f"{url} did not return JSON: {error}") from None


def _name_key(name: str) -> str:
    """Names as the Members API and ONS write them can differ in punctuation and '&'."""
    name = name.lower().replace("&", "and").replace("ynys môn", "ynys mon")
    return re.sub(r"[^a-z0-9]+", " ", name).strip()


def fetch_constituencies(sources) -> list[dict]:
    text = _fetch(sources["constituencies"]).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.upper(): f for f in reader.fieldnames or []}
    code_f, name_f = fields.get("PCON24CD"), fields.get("PCON24NM")
    welsh_f = fields.get("PCON24NMW")
    if not code_f or not name_f:
        raise SourceError(f"{sources['constituencies']}: expected PCON24CD and PCON24NM columns, found {reader.fieldnames}")
    rows = []
    for record in reader:
        code = record[code_f].strip()
        rows.append({
            "gss_code": code, "name": record[name_f].strip(),
            "name_cy": (record.get(welsh_f) or "").strip() if code.startswith("W") else "",
            "nation": NATION_BY_PREFIX.get(code[:1], ""), "region_code": "", "hex_q": "", "hex_r": "",
        })
    if not rows:
        raise SourceError(f"{sources['constituencies']}: no constituencies in it.")
    return rows


def add_hex_positions(sources, constituencies: list[dict]) -> dict:
    data = _fetch_json(sources["hexjson"])
    if data.get("layout") != "odd-r" or "hexes" not in data:
        raise SourceError(f"{sources['hexjson']}: expected HexJSON with the odd-r layout.")
    by_code = {row["gss_code"]: row for row in constituencies}
    hexes = {}
    for code, hexagon in data["hexes"].items():
        code = HEX_CODE_CHANGES.get(code, code)
        hexes[code] = {"n": hexagon.get("n", ""), "q": hexagon["q"], "r": hexagon["r"], "region": hexagon.get("region", "")}
        if code in by_code:
            by_code[code].update(hex_q=hexagon["q"], hex_r=hexagon["r"], region_code=hexagon.get("region", ""))
    for row in constituencies:  # Northern Ireland's region is the country itself
        if not row["region_code"] and row["nation"] == "Northern Ireland":
            row["region_code"] = "N92000002"
    return {"layout": "odd-r", "version": "1.0", "hexes": hexes}


def fetch_members(sources, constituencies: list[dict], log) -> list[dict]:
    code_by_name = {_name_key(row["name"]): row["gss_code"] for row in constituencies}
    members, skip = {}, 0
    while True:
        separator = "&" if "?" in sources["members"] else "?"
        page = _fetch_json(f"{sources['members']}{separator}skip={skip}&take={PAGE_SIZE}")
        items = page.get("items", [])
        for item in items:
            value = item.get("value", item)
            membership = value.get("latestHouseMembership") or {}
            if membership.get("membershipEndDate"):
                continue
            code = code_by_name.get(_name_key(membership.get("membershipFrom", "")))
            if code is None:
                log(f"  no constituency named {membership.get('membershipFrom')!r} for {value.get('nameDisplayAs')}; skipped")
                continue
            members[code] = {
                "gss_code": code,
                "name": value.get("nameDisplayAs", ""),
                "party": (value.get("latestParty") or {}).get("name", ""),
                "email": "",
                "parliament_member_id": value.get("id", ""),
            }
        skip += len(items)
        if not items or skip >= page.get("totalResults", 0):
            break
    for row in members.values():
        contact = _fetch_json(sources["member_contact"].format(id=row["parliament_member_id"]))
        for entry in contact.get("value", []):
            if entry.get("email") and "parliament" in (entry.get("type") or "").lower():
                row["email"] = entry["email"].strip()
                break
    return sorted(members.values(), key=lambda row: row["gss_code"])


def _open_onspd(data: bytes):
    if data[:2] == b"PK":
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = [n for n in archive.namelist() if n.lower().endswith(".csv") and "onspd" in n.lower() and "/data/" in f"/{n.lower()}"]
        names = names or [n for n in archive.namelist() if n.lower().endswith(".csv")]
        if not names:
            raise SourceError("The ONSPD archive holds no CSV file.")
        return io.TextIOWrapper(archive.open(sorted(names, key=len)[0]), encoding="utf-8-sig", newline="")
    return io.StringIO(data.decode("utf-8-sig"))


def write_postcodes(sources, known_codes: set[str], out: Path) -> int:
    handle = _open_onspd(_fetch(sources["postcodes"]))
    reader = csv.DictReader(handle)
    fields = {f.lower(): f for f in reader.fieldnames or []}
    if "pcds" not in fields or "pcon" not in fields:
        raise SourceError(f"{sources['postcodes']}: expected ONSPD columns pcds and pcon, found {reader.fieldnames}")
    rows = set()
    for record in reader:
        if fields.get("doterm") and record[fields["doterm"]].strip():
            continue  # terminated postcode
        code = record[fields["pcon"]].strip()
        postcode = normalise_postcode(record[fields["pcds"]])
        if postcode.startswith("BT"):
            continue  # Northern Ireland postcodes are in ONSPD under a licence that is not open
        if code in known_codes and is_valid_postcode(postcode):
            rows.add((postcode, code))
    with gzip.open(out, "wt", encoding="utf-8", newline="") as f:
        f.write("postcode,gss_code\n")
        for postcode, code in sorted(rows, key=lambda row: row[0].replace(" ", "")):
            f.write(f"{postcode},{code}\n")
    return len(rows)


def _write_csv(path: Path, columns, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def build_pack(*, out_dir: Path, sources: dict, log: Callable[[str], None] = print) -> str:
    missing = [name for name, url in sources.items() if not url]
    if missing:
        raise SourceError(
            "The ONS publishes each release at a new address; give it from geoportal.statistics.gov.uk: "
            + "; ".join(f"--source-url {name}=URL for {MISSING_SOURCE_HELP.get(name, name)}" for name in missing)
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    log("Constituencies (ONS)…")
    constituencies = fetch_constituencies(sources)
    log("Hex cartogram (Open Innovations)…")
    hexjson = add_hex_positions(sources, constituencies)
    log("Members (UK Parliament Members API)…")
    members = fetch_members(sources, constituencies, log)
    log("Postcodes (ONS Postcode Directory)…")
    postcode_count = write_postcodes(sources, {row["gss_code"] for row in constituencies}, out_dir / "postcodes.csv.gz")
    constituencies.sort(key=lambda row: row["name"])
    _write_csv(out_dir / "constituencies.csv", CONSTITUENCY_COLUMNS, constituencies)
    _write_csv(out_dir / "members.csv", MEMBER_COLUMNS, members)
    (out_dir / "constituencies.hexjson").write_text(json.dumps(hexjson, indent=1, ensure_ascii=False), encoding="utf-8")
    attribution = "\n".join(f"- {line}" for line in DEFAULT_ATTRIBUTION.splitlines())
    (out_dir / "README.md").write_text(
        "# UK geography pack\n\nBuilt by `groundswell geography build-pack` from the official sources:\n\n"
        + "\n".join(f"- {name}: {url}" for name, url in sources.items())
        + "\n\n## Licences and attribution\n\n" + attribution + "\n",
        encoding="utf-8",
    )
    return f"{len(constituencies)} constituencies, {len(members)} members, {postcode_count:,} postcodes"
