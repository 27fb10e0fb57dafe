import gzip
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from groundswell.geography import actions, queries
from groundswell.geography.models import BoundarySet, Constituency, Member, Postcode
from groundswell.geography.packs import PackError
from tests.geography.packs import CONSTITUENCIES, MEMBERS, POSTCODES, write_pack

pytestmark = pytest.mark.django_db
REAL_PACK = Path(__file__).resolve().parents[3] / "shared" / "data" / "uk-geography"


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("geography", "import", *map(str, args), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_loads_constituencies_members_and_postcodes_and_reports_counts(small_pack):
    out, _ = run_import(small_pack)
    assert "constituencies: 5 created, 0 updated, 0 unchanged" in out
    assert "members:        5 created" in out
    assert "postcodes:      5 created" in out
    active = BoundarySet.objects.get(is_active=True)
    assert active.name == "Westminster 2024"
    assert "Open Parliament Licence" in active.attribution and "Open Innovations, MIT licence." in active.attribution
    assert Postcode.objects.filter(boundary_set=active, postcode="GU27XX").exists()  # stored compactly
    welsh = Constituency.objects.get(gss_code="W07000081")
    assert welsh.name_cy == "Ynys Môn" and (welsh.hex_q, welsh.hex_r) == (1, 1)
    assert Member.objects.get(constituency=welsh).email == ""  # "No email found" is not an address


def test_importing_again_replaces_the_set_and_reports_what_changed(small_pack, tmp_path):
    run_import(small_pack)
    first = BoundarySet.objects.get(is_active=True)
    out, _ = run_import(small_pack)
    assert "postcodes:      0 created, 0 updated, 5 unchanged, 0 removed" in out
    changed = write_pack(
        tmp_path / "changed",
        members=[("E14001234", "A New Member", "Independent", "", "")] + MEMBERS[1:],
        postcodes=[("GU1 1AA", "E14001063"), ("GU2 7XX", "E14001234"), ("GU2 8AA", "E14001234")],
    )
    out, _ = run_import(changed)
    assert "members:        0 created, 1 updated, 4 unchanged, 0 removed" in out
    assert "postcodes:      1 created, 1 updated, 1 unchanged, 3 removed" in out
    assert BoundarySet.objects.count() == 1 and not BoundarySet.objects.filter(pk=first.pk).exists()
    assert Postcode.objects.count() == 3
    assert queries.lookup_postcode("gu1 1aa").name == "Aldershot"
    assert queries.lookup_postcode("GU11 1AA") is None
    assert queries.current_member(queries.lookup_postcode("GU2 7XX")).name == "A New Member"


def test_dry_run_reports_and_changes_nothing(small_pack):
    run_import(small_pack)
    before = BoundarySet.objects.get(is_active=True)
    out, _ = run_import(small_pack, "--dry-run")
    assert "Would import" in out and "5 unchanged" in out
    assert list(BoundarySet.objects.all()) == [before]
    assert Postcode.objects.count() == len(POSTCODES)


def test_lookups_answer_from_the_old_set_until_the_new_one_is_switched_on(small_pack, tmp_path):
    actions.import_pack(directory=small_pack)
    moved = write_pack(tmp_path / "moved", postcodes=[("GU2 7XX", "E14001063")])
    answers = []
    # Midway through building the new set (the progress callback), lookups still answer, from the old set.
    actions.import_pack(directory=moved, on_progress=lambda fraction: answers.append(queries.lookup_postcode("GU2 7XX").name))
    assert answers and set(answers) == {"Guildford"}
    assert queries.lookup_postcode("GU2 7XX").name == "Aldershot"


@pytest.mark.parametrize(
    "breakage, file, line, words",
    [
        ({"constituencies": CONSTITUENCIES + [("E1400XXXX", "Nowhere", "", "England", "", "", "")]}, "constituencies.csv", 7, "not an ONS constituency code"),
        ({"constituencies": CONSTITUENCIES + [("E14009999", "Atlantis", "", "Lyonesse", "", "1", "1")]}, "constituencies.csv", 7, "nation must be one of"),
        ({"constituencies": [("E14001234", "Guildford", "", "England", "E12000008", "two", "0")] + CONSTITUENCIES[1:]}, "constituencies.csv", 2, "hex_q must be a whole number"),
        ({"members": MEMBERS + [("E14999999", "Nobody", "", "", "")]}, "members.csv", 7, "not a constituency in constituencies.csv"),
        ({"postcodes": POSTCODES + [("GU1 9ZZ", "E14999999")]}, "postcodes.csv.gz", 7, "not a constituency"),
        ({"postcodes": POSTCODES[:2] + [("GU1 1AA", "E14001234,E14001063")]}, "postcodes.csv.gz", 4, "expected two columns"),
        ({"postcodes": POSTCODES + [("GU2 7XX", "E14001234")]}, "postcodes.csv.gz", 7, "appears twice"),
    ],
)
def test_a_malformed_pack_is_refused_with_its_file_and_line_and_nothing_changes(tmp_path, small_pack, breakage, file, line, words):
    run_import(small_pack)
    broken = write_pack(tmp_path / "broken", **breakage)
    with pytest.raises(CommandError) as raised:
        call_command("geography", "import", str(broken), "--no-progress", "--name", "Other")
    message = str(raised.value)
    assert f"{file}, line {line}" in message and words in message, message
    assert BoundarySet.objects.get().name == "Westminster 2024"
    assert queries.lookup_postcode("GU2 7XX").name == "Guildford"


def test_a_line_without_two_columns_stops_the_import(tmp_path):
    pack = write_pack(tmp_path / "pack")
    with gzip.open(pack / "postcodes.csv.gz", "wt") as f:
        f.write("postcode,gss_code\nGU1 1AA,E14001234\nGU2 7XX\n")
    with pytest.raises(PackError, match=r"postcodes.csv.gz, line 3: expected two columns"):
        actions.import_pack(directory=pack)
    assert not BoundarySet.objects.exists() and not Postcode.objects.exists()


def test_lines_that_are_not_postcodes_are_skipped_and_reported(tmp_path):
    pack = write_pack(tmp_path / "pack", postcodes=POSTCODES + [("N20000001", "E14001234")], gz=False)
    out, err = run_import(pack)
    assert "postcodes:      5 created" in out
    assert "1 lines skipped that are not UK postcodes, e.g. postcodes.csv, line 7: 'N20000001'" in err


def test_a_missing_file_is_named(tmp_path):
    pack = write_pack(tmp_path / "pack")
    (pack / "members.csv").unlink()
    with pytest.raises(CommandError, match=r"members.csv: the file is missing"):
        call_command("geography", "import", str(pack), "--no-progress")


@pytest.mark.skipif(not REAL_PACK.exists(), reason="the shared UK geography pack is not on this machine")
def test_real_postcodes_in_any_case_and_spacing_find_the_right_constituency_and_mp(tmp_path):
    """The real constituencies and members, with every 2,000th real postcode (the full 1.7 million
    are imported by bench/geography_import.py, not here)."""
    pack = tmp_path / "real"
    pack.mkdir()
    for name in ("constituencies.csv", "members.csv", "README.md"):
        shutil.copy(REAL_PACK / name, pack / name)
    sample = []
    with gzip.open(REAL_PACK / "postcodes.csv.gz", "rt") as f:
        next(f)
        for i, line in enumerate(f):
            if i % 2000 == 0 and line[0] != "N" or line.startswith("N2"):
                postcode, code = line.strip().split(",")
                if " " in postcode:
                    sample.append((postcode, code))
    with gzip.open(pack / "postcodes.csv.gz", "wt") as f:
        f.write("postcode,gss_code\n" + "".join(f"{p},{c}\n" for p, c in sample))
    actions.import_pack(directory=pack)
    assert Constituency.objects.count() == 650 and Member.objects.count() == 650
    names = {c.gss_code: c.name for c in Constituency.objects.all()}
    for postcode, code in sample[::40]:
        for typed in (postcode, postcode.lower(), postcode.replace(" ", ""), f"  {postcode.lower().replace(' ', '   ')} "):
            found = queries.lookup_postcode(typed)
            assert found is not None and found.gss_code == code, (typed, code)
        assert queries.current_member(found).constituency.name == names[code]
    assert queries.lookup_postcode("BT1 1AA") is None  # Northern Ireland: not openly licensed, not in the pack
    assert queries.lookup_postcode("not a postcode") is None


def test_an_import_killed_part_way_is_cleaned_up_by_the_next_one_an_hour_later(small_pack, tmp_path):
    import time_machine
    from django.utils import timezone

    from groundswell.geography.models import BoundarySet as Set

    orphan = Set.objects.create(name="Westminster 2024")  # as a killed import leaves it
    Postcode.objects.create(boundary_set=orphan, postcode="GU27XX", constituency_id=0)
    actions.import_pack(directory=small_pack)
    assert Set.objects.filter(pk=orphan.pk).exists()  # maybe another import still building: left alone
    with time_machine.travel(timezone.now() + actions.ABANDONED_AFTER * 2):
        actions.import_pack(directory=small_pack)
    assert not Set.objects.filter(pk=orphan.pk).exists()
    assert not Postcode.objects.filter(boundary_set=orphan).exists()
