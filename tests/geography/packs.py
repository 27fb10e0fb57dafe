"""Small geography packs that tests write for themselves (the real pack is never copied), and
where the real one is."""

import csv
import gzip
import os
from pathlib import Path

# The UK geography pack next to the repository (../shared/data/uk-geography), or where
# GROUNDSWELL_GEOGRAPHY_PACK points; tests that need it skip when it is absent.
GEOGRAPHY_PACK = Path(
    os.environ.get("GROUNDSWELL_GEOGRAPHY_PACK") or Path(__file__).resolve().parents[3] / "shared" / "data" / "uk-geography"
)

CONSTITUENCIES = [
    # gss_code, name, name_cy, nation, region_code, hex_q, hex_r
    ("E14001234", "Guildford", "", "England", "E12000008", 2, 0),
    ("E14001063", "Aldershot", "", "England", "E12000008", 3, 0),
    ("S14000061", "Aberdeen South", "", "Scotland", "S92000003", 2, 2),
    ("W07000081", "Ynys Môn", "Ynys Môn", "Wales", "W92000004", 1, 1),
    ("N05000001", "Belfast East", "", "Northern Ireland", "N92000002", 0, 1),
]
MEMBERS = [
    ("E14001234", "Zöe Franklin", "Liberal Democrat", "zoe.franklin.mp@parliament.uk", "5210"),
    ("E14001063", "Alex Baker", "Labour", "alex.baker.mp@parliament.uk", "5173"),
    ("S14000061", "Stephen Flynn", "Scottish National Party", "stephen.flynn.mp@parliament.uk", "4920"),
    ("W07000081", "Llinos Medi", "Plaid Cymru", "No email found", "5200"),
    ("N05000001", "Gavin Robinson", "Democratic Unionist Party", "gavin.robinson.mp@parliament.uk", "4761"),
]
POSTCODES = [
    ("AB10 1AB", "S14000061"),
    ("GU1 1AA", "E14001234"),
    ("GU2 7XX", "E14001234"),
    ("GU11 1AA", "E14001063"),
    ("LL77 7AA", "W07000081"),
]


def write_pack(directory: Path, *, constituencies=CONSTITUENCIES, members=MEMBERS, postcodes=POSTCODES, gz=True, readme=True) -> Path:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "constituencies.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["gss_code", "name", "name_cy", "nation", "region_code", "hex_q", "hex_r"])
        writer.writerows(constituencies)
    with open(directory / "members.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["gss_code", "name", "party", "email", "parliament_member_id"])
        writer.writerows(members)
    text = "postcode,gss_code\n" + "".join(f"{p},{c}\n" for p, c in postcodes)
    if gz:
        with gzip.open(directory / "postcodes.csv.gz", "wt", encoding="utf-8") as f:
            f.write(text)
    else:
        (directory / "postcodes.csv").write_text(text, encoding="utf-8")
    if readme:
        (directory / "README.md").write_text(
            "# Test pack\n\n## Files\n\nNot this.\n\n## Licences and attribution\n\n"
            "- Contains OS data © Crown copyright and database right.\n"
            "- Contains Parliamentary information licensed under the Open Parliament Licence v3.0.\n"
            "- Hex cartogram © Open Innovations,\n  MIT licence.\n",
            encoding="utf-8",
        )
    return directory
