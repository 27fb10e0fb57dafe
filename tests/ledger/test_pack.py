import pytest

from groundswell.ledger import pack
from groundswell.ledger.pack import police_target_name, title_case_trust_name
from tests.geography.packs import GEOGRAPHY_PACK as PACK


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("SURREY AND BORDERS PARTNERSHIP NHS FOUNDATION TRUST", "Surrey and Borders Partnership NHS Foundation Trust"),
        ("NORFOLK AND SUFFOLK NHS FOUNDATION TRUST", "Norfolk and Suffolk NHS Foundation Trust"),
        ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
        ("THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST",
         "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust"),
        ("LANCASHIRE & SOUTH CUMBRIA NHS FOUNDATION TRUST", "Lancashire & South Cumbria NHS Foundation Trust"),
        ("STOKE-ON-TRENT HEALTH NHS TRUST", "Stoke-on-Trent Health NHS Trust"),
    ],
)
def test_trust_names_are_presented_in_title_case(raw, expected):
    assert title_case_trust_name(raw) == expected


def test_police_force_areas_become_force_names():
    assert police_target_name("Surrey") == "Surrey Police"
    assert police_target_name("Metropolitan Police") == "Metropolitan Police"


@pytest.mark.skipif(not PACK.is_dir(), reason="the UK geography pack is not on this machine")
def test_the_pack_is_read_from_the_configured_directory(settings):
    settings.GROUNDSWELL_GEOGRAPHY_PACK = str(PACK)
    trusts = pack.nhs_trusts()
    assert len(trusts) > 200
    surrey = pack.find_entry("nhs_body:RXX")
    assert surrey.name == "Surrey and Borders Partnership NHS Foundation Trust"
    assert pack.find_entry("police_force:E23000031").name == "Surrey Police"
    assert len(pack.police_forces()) == 44


def test_without_a_pack_there_is_nothing_to_pick(settings, tmp_path, monkeypatch):
    settings.GROUNDSWELL_GEOGRAPHY_PACK = str(tmp_path / "missing")
    assert pack.nhs_trusts() == [] and pack.police_forces() == []
    assert pack.find_entry("nhs_body:RXX") is None
