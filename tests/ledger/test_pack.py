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


@pytest.mark.skipif(not PACK.is_dir(), reason="the UK geography pack is not on this machine")
def test_the_pack_knows_each_forces_nation_and_each_trusts_region(settings):
    settings.GROUNDSWELL_GEOGRAPHY_PACK = str(PACK)
    forces = {e.name: e for e in pack.police_forces()}
    assert forces["Police Scotland"].nation == "SCT"
    assert forces["Gwent Police"].nation == "WLS"
    assert forces["Surrey Police"].nation == "ENG"
    assert pack.find_entry("nhs_body:RXX").region == "South East"
    assert {e.nation for e in pack.nhs_trusts()} == {"ENG"}


@pytest.mark.skipif(not PACK.is_dir(), reason="the UK geography pack is not on this machine")
def test_an_organiser_adds_every_police_force_then_ticks_a_region_and_a_saved_group(settings, client, db):
    from django.urls import reverse

    from groundswell.ledger.models import Target, TargetGroup
    from tests.factories import make_campaign, make_organisation, make_organiser

    settings.GROUNDSWELL_GEOGRAPHY_PACK = str(PACK)
    organisation = make_organisation()
    client.force_login(make_organiser(organisation))
    make_campaign(organisation)
    client.post(reverse("ledger:targets_from_pack"), {"group-organisation": organisation.pk, "group-which": "police_force:"})
    client.post(reverse("ledger:targets_from_pack"), {"group-organisation": organisation.pk, "group-which": "nhs_body:London"})
    client.post(reverse("ledger:targets_from_pack"), {"group-organisation": organisation.pk, "group-which": "police_force:"})  # again
    assert Target.objects.filter(kind="police_force").count() == 44
    assert Target.objects.get(name="Police Scotland").nation == "SCT"
    london = Target.objects.filter(kind="nhs_body", region="London")
    assert london.count() == Target.objects.filter(kind="nhs_body").count() > 5
    page = client.get(reverse("ledger:batch_create"), {"kind": "nhs_body", "region": "London"})
    ticked = [t for t in page.context["form"].initial["targets"]]
    assert sorted(ticked) == sorted(london.values_list("pk", flat=True))
    group = TargetGroup.objects.create(organisation=organisation, name="Welsh forces")
    group.targets.set(Target.objects.filter(nation="WLS"))
    page = client.get(reverse("ledger:batch_create"), {"group": group.pk})
    assert len(page.context["form"].initial["targets"]) == 4
