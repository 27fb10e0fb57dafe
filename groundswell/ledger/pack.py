"""NHS trusts and police forces from the UK geography pack, for picking ledger targets.

The pack is read at run time from GROUNDSWELL_GEOGRAPHY_PACK (default: ../shared/data/uk-geography
relative to the working directory, when it exists); its files are never copied into the
repository. Without a pack, organisers type targets in by hand.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from groundswell.geography.packs import configured_pack_directory


# Words kept in capitals, and small words kept lower case unless they start the name.
_ACRONYMS = {"NHS", "UCL"}
_SMALL_WORDS = {"and", "of", "the", "for", "upon", "on", "in", "at", "with"}


@dataclass(frozen=True)
class PackEntry:
    kind: str  # a Target.Kind value
    code: str
    name: str  # as we present it (title case for trusts)
    nation: str = "ENG"  # ENG, WLS, SCT or NIR: whose bank holidays and which FOI law
    region: str = ""  # an NHS England region, for choosing trusts by region

    @property
    def choice_value(self) -> str:
        return f"{self.kind}:{self.code}"


def pack_directory() -> Path | None:
    path = configured_pack_directory()
    return path.resolve() if path.is_dir() else None


def title_case_trust_name(name: str) -> str:
    """'SURREY AND BORDERS PARTNERSHIP NHS FOUNDATION TRUST' ->
    'Surrey and Borders Partnership NHS Foundation Trust'; keeps NHS, apostrophes and hyphens."""
    words = name.split()
    out = []
    for index, word in enumerate(words):
        out.append(_title_word(word, first=index == 0))
    return " ".join(out)


def _title_word(word: str, *, first: bool) -> str:
    core = re.sub(r"[^\w'&-]", "", word)
    if core.upper() in {a.upper() for a in _ACRONYMS}:
        return word.upper()
    if core.lower() in _SMALL_WORDS and not first:
        return word.lower()
    return "-".join(
        part.lower() if (i > 0 and part.lower() in _SMALL_WORDS) else part[:1].upper() + part[1:].lower()
        for i, part in enumerate(word.split("-"))
    )


def police_target_name(area_name: str) -> str:
    """Police force area 'Surrey' -> 'Surrey Police'; 'Metropolitan Police' stays as it is; the
    area 'Scotland' is Police Scotland."""
    if area_name.strip().lower() == "scotland":
        return "Police Scotland"
    if re.search(r"\b(police|constabulary)\b", area_name, re.IGNORECASE):
        return area_name
    return f"{area_name} Police"


def _read(filename: str) -> list[dict]:
    directory = pack_directory()
    if directory is None or not (directory / filename).is_file():
        return []
    with open(directory / filename, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# The ODS register's national groupings of English trusts: NHS England's seven regions.
NHS_ENGLAND_REGIONS = {
    "Y56": "London", "Y58": "South West", "Y59": "South East", "Y60": "Midlands",
    "Y61": "East of England", "Y62": "North West", "Y63": "North East and Yorkshire",
}
# An ONS code's first letter is its nation: E England, W Wales, S Scotland, N Northern Ireland.
_NATION_OF_CODE = {"E": "ENG", "W": "WLS", "S": "SCT", "N": "NIR"}


def nation_of_code(code: str) -> str:
    return _NATION_OF_CODE.get((code or "E")[:1].upper(), "ENG")


def nhs_trusts() -> list[PackEntry]:
    # The ODS "etr" extract lists NHS trusts in England (Wales and Scotland have health boards).
    entries = [
        PackEntry("nhs_body", row["ods_code"], title_case_trust_name(row["name"]), "ENG",
                  NHS_ENGLAND_REGIONS.get(row.get("national_grouping", ""), ""))
        for row in _read("nhs_trusts.csv")
    ]
    return sorted(entries, key=lambda e: e.name)


def police_forces() -> list[PackEntry]:
    entries = [
        PackEntry("police_force", row["pfa_code"], police_target_name(row["name"]), nation_of_code(row["pfa_code"]))
        for row in _read("police_forces.csv")
    ]
    return sorted(entries, key=lambda e: e.name)


def find_entry(choice_value: str) -> PackEntry | None:
    kind, _, code = choice_value.partition(":")
    entries = nhs_trusts() if kind == "nhs_body" else police_forces() if kind == "police_force" else []
    return next((e for e in entries if e.code == code), None)
