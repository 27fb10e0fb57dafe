"""The constituency table sorted by MP: by family name, not by "Mr", "Sir" or first name."""

import re

import pytest

from groundswell.geography import actions
from groundswell.geography.names import family_name_sort_key
from tests.factories import make_petition
from tests.geography.packs import MEMBERS, write_pack


@pytest.mark.parametrize(
    "name, key",
    [
        ("Ms Diane Abbott", "abbott\tdiane"),
        ("Sir Lindsay Hoyle", "hoyle\tlindsay"),
        ("The Rt Hon Sir Keir Starmer KC MP", "starmer\tkeir"),
        ("Dame Caroline Dinenage", "dinenage\tcaroline"),
        ("Dr Rosena Allin-Khan", "allin-khan\trosena"),
        ("Freddie van Mierlo", "van mierlo\tfreddie"),
        ("Zöe Franklin", "franklin\tzoe"),
        ("Lady Hermon", "hermon\t"),
        ("", ""),
    ],
)
def test_the_family_name_comes_first_without_titles(name, key):
    assert family_name_sort_key(name) == key


@pytest.mark.django_db
def test_sorting_the_table_by_mp_sorts_by_family_name(client, tmp_path):
    titled = ["Sir Alan Young", "Mr Bob Zephaniah", "Dr Carol Abbott", "Ms Dee Baker", "Dame Eve Jones"]
    members = [(code, name, party, email, pid) for (code, _old, party, email, pid), name in zip(MEMBERS, titled)]
    actions.import_pack(directory=write_pack(tmp_path / "pack", members=members))
    petition = make_petition()
    html = client.get(f"/petitions/{petition.slug}/map/?sort=mp").content.decode()
    shown = re.findall(r'<td>((?:Sir|Mr|Dr|Ms|Dame) [^<(]+?) <span class="party">', html)
    assert shown == ["Dr Carol Abbott", "Ms Dee Baker", "Dame Eve Jones", "Sir Alan Young", "Mr Bob Zephaniah"]
    html = client.get(f"/petitions/{petition.slug}/map/?sort=-mp").content.decode()
    assert re.findall(r'<td>((?:Sir|Mr|Dr|Ms|Dame) [^<(]+?) <span class="party">', html)[0] == "Mr Bob Zephaniah"
