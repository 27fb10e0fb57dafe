"""Reading a geography pack: the directory format documented in the pack's README.md.

    constituencies.csv   gss_code,name,name_cy,nation,region_code,hex_q,hex_r
    members.csv          gss_code,name,party,email,parliament_member_id
    postcodes.csv.gz     postcode,gss_code   (or postcodes.csv)
    README.md            its "Licences and attribution" section is shown on the credits page

Everything is checked as it is read; a mistake raises `PackError` naming the file and line,
so a malformed pack stops the import before anything changes.
"""

import csv
import gzip
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from groundswell.geography.postcodes import is_valid_postcode

DEFAULT_PACK_DIRECTORY = Path("../shared/data/uk-geography")


def configured_pack_directory() -> Path:
    """Where this site's geography pack is: GROUNDSWELL_GEOGRAPHY_PACK, or by default
    ../shared/data/uk-geography from the working directory. It may not exist."""
    configured = settings.GROUNDSWELL_GEOGRAPHY_PACK
    return Path(configured) if configured else DEFAULT_PACK_DIRECTORY


CONSTITUENCY_COLUMNS = ["gss_code", "name", "name_cy", "nation", "region_code", "hex_q", "hex_r"]
MEMBER_COLUMNS = ["gss_code", "name", "party", "email", "parliament_member_id"]
POSTCODE_COLUMNS = ["postcode", "gss_code"]
NATIONS = {"England", "Scotland", "Wales", "Northern Ireland"}
_GSS_CODE = re.compile(r"^[ENSW]\d{8}$")

DEFAULT_ATTRIBUTION = """Contains OS data © Crown copyright and database right. Contains Royal Mail data © Royal Mail copyright and database right. Contains National Statistics data © Crown copyright and database right (Open Government Licence v3.0).
Contains Parliamentary information licensed under the Open Parliament Licence v3.0.
Postcode-to-constituency ranges derived from mySociety data (CC BY 4.0).
Hex cartogram © Open Innovations, MIT licence."""


class PackError(Exception):
    """A geography pack is missing a file or has a malformed line."""


@dataclass(frozen=True)
class ConstituencyRow:
    gss_code: str
    name: str
    name_cy: str
    nation: str
    region_code: str
    hex_q: int | None
    hex_r: int | None


@dataclass(frozen=True)
class MemberRow:
    gss_code: str
    name: str
    party: str
    email: str
    parliament_member_id: int | None


def _open_csv(path: Path, columns: list[str]):
    if not path.exists():
        raise PackError(f"{path}: the file is missing from the pack.")
    handle = open(path, encoding="utf-8", newline="")
    reader = csv.reader(handle)
    header = next(reader, None)
    if header != columns:
        handle.close()
        raise PackError(f"{path}, line 1: expected the columns {','.join(columns)}, found {','.join(header or [])!r}.")
    return handle, reader


def _optional_int(value: str, path: Path, line: int, column: str) -> int | None:
    if value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise PackError(f"{path}, line {line}: {column} must be a whole number, not {value!r}.") from None


def read_constituencies(directory: Path) -> list[ConstituencyRow]:
    path = Path(directory) / "constituencies.csv"
    handle, reader = _open_csv(path, CONSTITUENCY_COLUMNS)
    rows, seen = [], set()
    with handle:
        for line, record in enumerate(reader, start=2):
            if len(record) != len(CONSTITUENCY_COLUMNS):
                raise PackError(f"{path}, line {line}: expected {len(CONSTITUENCY_COLUMNS)} columns, found {len(record)}.")
            code, name, name_cy, nation, region, q, r = (v.strip() for v in record)
            if not _GSS_CODE.match(code):
                raise PackError(f"{path}, line {line}: {code!r} is not an ONS constituency code like E14001063.")
            if code in seen:
                raise PackError(f"{path}, line {line}: {code} appears twice.")
            if not name:
                raise PackError(f"{path}, line {line}: the constituency {code} has no name.")
            if nation not in NATIONS:
                raise PackError(f"{path}, line {line}: nation must be one of {', '.join(sorted(NATIONS))}, not {nation!r}.")
            seen.add(code)
            rows.append(
                ConstituencyRow(
                    code, name, name_cy, nation, region,
                    _optional_int(q, path, line, "hex_q"), _optional_int(r, path, line, "hex_r"),
                )
            )
    if not rows:
        raise PackError(f"{path}: there are no constituencies in it.")
    return rows


def read_members(directory: Path, known_codes: set[str]) -> list[MemberRow]:
    path = Path(directory) / "members.csv"
    handle, reader = _open_csv(path, MEMBER_COLUMNS)
    rows, seen = [], set()
    with handle:
        for line, record in enumerate(reader, start=2):
            if len(record) != len(MEMBER_COLUMNS):
                raise PackError(f"{path}, line {line}: expected {len(MEMBER_COLUMNS)} columns, found {len(record)}.")
            code, name, party, email, member_id = (v.strip() for v in record)
            if code not in known_codes:
                raise PackError(f"{path}, line {line}: {code!r} is not a constituency in constituencies.csv.")
            if code in seen:
                raise PackError(f"{path}, line {line}: {code} has a second member; a pack lists the current member only.")
            if not name:
                raise PackError(f"{path}, line {line}: the member for {code} has no name.")
            if "@" not in email:
                email = ""  # the official source says "No email found" for a few members
            seen.add(code)
            rows.append(MemberRow(code, name, party, email, _optional_int(member_id, path, line, "parliament_member_id")))
    return rows


def postcodes_path(directory: Path) -> Path:
    for name in ("postcodes.csv.gz", "postcodes.csv"):
        if (Path(directory) / name).exists():
            return Path(directory) / name
    raise PackError(f"{Path(directory) / 'postcodes.csv.gz'}: the file is missing from the pack.")


@dataclass
class SkippedLines:
    """Lines whose first column is not a UK postcode at all (the shared pack has a few thousand,
    e.g. "N20000001"): skipped, counted and reported with their file and line, not imported."""

    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, where: str):
        self.count += 1
        if len(self.examples) < 3:
            self.examples.append(where)

    def __str__(self):
        return f"{self.count:,} lines skipped that are not UK postcodes, e.g. {'; '.join(self.examples)}" if self.count else ""


def iter_postcodes(
    directory: Path,
    known_codes: set[str],
    *,
    on_progress: Callable[[float], None] | None = None,
    skipped: SkippedLines | None = None,
) -> Iterator[tuple[str, str]]:
    """Yield (compact postcode, gss_code) for every line, checking each.

    A wrong header, a line without two columns, an unknown constituency code or a repeated
    postcode stops the import (PackError). A first column that is not a postcode at all is
    skipped and recorded in `skipped` (or stops the import when no `skipped` is given).

    `on_progress` is called now and then with the fraction of the file read so far (by bytes
    of the file on disk, so it works for the compressed file without counting lines first).
    """
    path = postcodes_path(directory)
    raw = open(path, "rb")
    size = max(1, path.stat().st_size)
    stream = gzip.open(raw, "rt", encoding="utf-8", newline="") if path.suffix == ".gz" else io.TextIOWrapper(raw, encoding="utf-8", newline="")
    seen_last = None
    with raw, stream:
        header = stream.readline().rstrip("\r\n")
        if header != ",".join(POSTCODE_COLUMNS):
            raise PackError(f"{path}, line 1: expected the columns postcode,gss_code, found {header!r}.")
        line = 1
        for text in stream:
            line += 1
            postcode, comma, code = text.rstrip("\r\n").partition(",")
            if not comma or "," in code:
                raise PackError(f"{path}, line {line}: expected two columns, postcode and gss_code: {text.strip()!r}.")
            compact = postcode.replace(" ", "").upper()
            if not is_valid_postcode(compact):
                if skipped is None:
                    raise PackError(f"{path}, line {line}: {postcode!r} is not a UK postcode.")
                skipped.add(f"{path.name}, line {line}: {postcode!r}")
                continue
            if code not in known_codes:
                raise PackError(f"{path}, line {line}: {code!r} is not a constituency in constituencies.csv.")
            if compact == seen_last:
                raise PackError(f"{path}, line {line}: {postcode} appears twice.")
            seen_last = compact
            yield compact, code
            if on_progress is not None and line % 50_000 == 0:
                on_progress(raw.tell() / size)
    if on_progress is not None:
        on_progress(1.0)


def find_repeated_postcode(directory: Path) -> PackError:
    """After the database refused a repeated postcode: find its line (a second pass, with a set
    of every postcode, paid only when the pack is broken)."""
    path = postcodes_path(directory)
    opener = gzip.open if path.suffix == ".gz" else open
    seen = set()
    with opener(path, "rt", encoding="utf-8", newline="") as stream:
        next(stream, None)
        for line, text in enumerate(stream, start=2):
            compact = text.partition(",")[0].replace(" ", "").upper()
            if compact in seen:
                return PackError(f"{path}, line {line}: {text.partition(',')[0]} appears twice.")
            seen.add(compact)
    return PackError(f"{path}: a postcode appears twice.")


def read_attribution(directory: Path) -> str:
    """The bullet points of the README's "Licences and attribution" section, one per line."""
    readme = Path(directory) / "README.md"
    if not readme.exists():
        return DEFAULT_ATTRIBUTION
    lines, inside, current = [], False, None
    for text in readme.read_text(encoding="utf-8").splitlines():
        if text.startswith("## "):
            inside = "attribution" in text.lower() or "licence" in text.lower()
            continue
        if not inside:
            continue
        if text.startswith("- "):
            if current:
                lines.append(current)
            current = text[2:].strip()
        elif text.strip() and current is not None:
            current += " " + text.strip()
    if current:
        lines.append(current)
    return "\n".join(lines) or DEFAULT_ATTRIBUTION
