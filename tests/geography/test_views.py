import csv
import io

import pytest
from django.urls import reverse

from groundswell.petitions.models import Signature
from groundswell.petitions.queries import count_signatures
from tests.factories import make_petition, make_signature

pytestmark = pytest.mark.django_db

VALID = {"name": "Sam Supporter", "email": "sam@example.org", "where": "uk", "postcode": "gu2 7xx", "country": "", "consent": "on"}


def post_sign(client, petition, **changes):
    data = {k: v for k, v in {**VALID, **changes}.items() if v is not None}
    return client.post(reverse("petitions:detail", args=[petition.slug]), data)


def confirmed_signature(petition, email, constituency_code="", country="GB"):
    make_signature(petition, email, postcode="", country=country, constituency_code=constituency_code)


@pytest.mark.parametrize("typed", ["gu2 7xx", "GU27XX", "  Gu2   7xX "])
def test_a_known_postcode_stores_the_constituency_and_not_the_postcode(client, imported_pack, typed):
    petition = make_petition()
    response = post_sign(client, petition, postcode=typed)
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.constituency_code == "E14001234"
    assert signature.postcode == ""  # used to find the constituency, then not kept (docs/privacy.md)


def test_an_unknown_valid_postcode_asks_for_the_constituency_never_guesses(client, imported_pack):
    petition = make_petition()
    response = post_sign(client, petition, postcode="BT1 1AA")
    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not find BT1 1AA in our postcode list" in html
    assert '<select name="constituency"' in html and 'aria-describedby="id_constituency_helptext id_constituency_error"' in html
    assert '<option value="N05000001">Belfast East (Northern Ireland)</option>' in html
    assert "sign without a constituency" in html
    assert 'value="BT1 1AA"' in html  # what was typed is kept
    assert not Signature.objects.exists()

    response = post_sign(client, petition, postcode="BT1 1AA", constituency="N05000001")
    assert response.status_code == 302
    assert Signature.objects.get().constituency_code == "N05000001"


def test_an_unknown_postcode_can_sign_without_a_constituency(client, imported_pack):
    petition = make_petition()
    assert post_sign(client, petition, postcode="GU2 9ZZ", constituency="none").status_code == 302
    signature = Signature.objects.get()
    assert signature.constituency_code == "" and str(signature.country) == "GB"


def test_a_made_up_constituency_choice_is_refused_kindly(client, imported_pack):
    petition = make_petition()
    response = post_sign(client, petition, postcode="GU2 9ZZ", constituency="E99999999")
    assert response.status_code == 400
    assert "Choose a constituency from the list, or choose to sign without one." in response.content.decode()


def test_garbage_gets_a_clear_error_not_a_server_error(client, imported_pack):
    petition = make_petition()
    for typed in ["hello", "12345", "GU2 7XX GU2 7XX", "<script>", "ZZ99 9ZZ"]:
        response = post_sign(client, petition, postcode=typed)
        assert response.status_code == 400
        assert "Enter a real UK postcode" in response.content.decode() or "at most 8 characters" in response.content.decode()


def test_without_geography_signing_works_without_constituencies(client):
    petition = make_petition()
    assert post_sign(client, petition, postcode="BT1 1AA").status_code == 302
    assert Signature.objects.get().constituency_code == ""
    html = client.get(reverse("petitions:detail", args=[petition.slug])).content.decode()
    assert "Where signatures come from" not in html
    assert client.get(reverse("petitions:petition_map", args=[petition.slug])).status_code == 404
    assert "signatures_by_constituency" not in client.get(reverse("petitions:json", args=[petition.slug])).json()


@pytest.fixture
def counted_petition(imported_pack):
    petition = make_petition(slug="counted")
    for i in range(3):
        confirmed_signature(petition, f"g{i}@example.org", "E14001234")
    confirmed_signature(petition, "a@example.org", "E14001063")
    confirmed_signature(petition, "s@example.org", "S14000061")
    confirmed_signature(petition, "u@example.org", "")
    confirmed_signature(petition, "ie@example.org", "", country="IE")
    return petition


def test_petition_page_shows_counts_by_nation_and_a_sortable_constituency_table(client, counted_petition):
    url = reverse("petitions:detail", args=["counted"])
    html = client.get(url).content.decode()
    assert "Signatures by nation" in html
    assert "<th scope=\"row\">England</th><td class=\"number\">4</td>" in html
    assert "<th scope=\"row\">UK, constituency not known</th><td class=\"number\">1</td>" in html
    assert "<th scope=\"row\">Outside the UK</th><td class=\"number\">1</td>" in html
    assert 'aria-sort="descending"' in html
    assert html.index("Guildford") < html.index("Aldershot")  # most signatures first
    assert 'Zöe Franklin <span class="party">(Liberal Democrat)</span>' in html
    html = client.get(url + "?sort=name").content.decode()
    table = html[html.index('id="constituency-table"'):]
    assert table.index("Aberdeen South") < table.index("Aldershot") < table.index("Guildford")
    assert 'aria-sort="ascending"' in html and "<details id=\"constituencies\" open>" in html
    assert "?sort=-name#constituencies" in html  # clicking again reverses


@pytest.mark.parametrize(
    "typed, words",
    [
        ("gu27xx", ["GU2 7XX</strong> is in <strong>Guildford</strong>", "3 people have signed there", "Your MP is <strong>Zöe Franklin</strong>"]),
        ("AB10 1AB", ["is in <strong>Aberdeen South</strong>", "1 person has signed there"]),
        ("BT1 1AA", ["We could not find <strong>BT1 1AA</strong>", "Northern Ireland"]),
        ("nonsense", ["Enter a real UK postcode, like SW1A 1AA."]),
        ("", ["Enter a postcode, like SW1A 1AA."]),
    ],
)
def test_how_many_near_me(client, counted_petition, typed, words):
    page = client.get(reverse("petitions:detail", args=["counted"])).content.decode()
    assert f'action="{reverse("petitions:near_me", args=["counted"])}"' in page and 'name="near"' in page
    response = client.get(reverse("petitions:near_me", args=["counted"]), {"near": typed})
    assert response.status_code == (400 if "Enter" in words[0] else 200)
    html = response.content.decode()
    for word in words:
        assert word in html


def test_json_has_every_constituency_with_its_mp_and_count(client, counted_petition, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        data = client.get(reverse("petitions:json", args=["counted"])).json()
    rows = {row["code"]: row for row in data["signatures_by_constituency"]}
    assert len(rows) == 5
    assert rows["E14001234"] == {
        "code": "E14001234", "name": "Guildford", "nation": "England",
        "mp": {"name": "Zöe Franklin", "party": "Liberal Democrat", "parliament_member_id": 5210}, "signatures": 3,
    }
    assert rows["N05000001"]["signatures"] == 0
    assert {n["nation"]: n["signatures"] for n in data["signatures_by_nation"]}["Scotland"] == 1
    assert data["signature_count"] == 7


def test_constituency_csv(client, counted_petition):
    response = client.get(reverse("petitions:constituencies_csv", args=["counted"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_code = {row["constituency_code"]: row for row in rows}
    assert by_code["E14001234"]["signatures"] == "3" and by_code["E14001234"]["mp"] == "Zöe Franklin"
    assert len(rows) == 5


def test_map_page_and_svg_download(client, counted_petition):
    html = client.get(reverse("petitions:petition_map", args=["counted"])).content.decode()
    assert html.count("<polygon") == 5
    assert 'aria-label="Guildford: 3 signatures"' in html and "<title>Guildford: 3 signatures</title>" in html
    assert 'aria-label="Belfast East: 0 signatures"' in html
    assert 'style="' not in html  # the CSP forbids inline styles
    response = client.get(reverse("petitions:petition_map_svg", args=["counted"]))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    svg = response.content.decode()
    assert svg.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in svg and "Open Innovations" in svg


def test_credits_page_shows_the_pack_attribution_and_is_linked_from_every_page(client, imported_pack):
    html = client.get(reverse("geography:credits")).content.decode()
    assert "Contains Parliamentary information licensed under the Open Parliament Licence v3.0." in html
    assert "Hex cartogram © Open Innovations, MIT licence." in html
    assert reverse("geography:credits") in client.get("/").content.decode()


def test_counts_survive_a_boundary_change(client, counted_petition, tmp_path):
    """Old petitions' counts name constituencies by code: importing another set changes no count."""
    from groundswell.geography import actions
    from tests.geography.packs import write_pack

    actions.import_pack(directory=write_pack(tmp_path / "next"), name="Westminster 2029")
    assert count_signatures(counted_petition) == 7
    data = client.get(reverse("petitions:json", args=["counted"])).json()
    assert {row["code"]: row["signatures"] for row in data["signatures_by_constituency"]}["E14001234"] == 3


def test_demo_loads_the_pack_once_and_spreads_signatures_over_real_constituencies(settings, small_pack):
    from groundswell.composition.demo import load_demo_data
    from groundswell.geography.demo import load_demo_geography

    settings.GROUNDSWELL_GEOGRAPHY_PACK = str(small_pack)
    assert "imported 5 postcodes" in load_demo_geography()
    assert load_demo_geography() == "UK geography: already loaded."
    load_demo_data(signatures=60)
    codes = set(Signature.objects.exclude(country__in=["IE", "FR", "DE", "US", "ES"]).values_list("constituency_code", flat=True))
    assert codes and codes <= {"E14001234", "E14001063", "S14000061", "W07000081"}  # weighted by real postcodes: none in NI


def test_demo_without_a_pack_still_works(settings, tmp_path):
    from groundswell.composition.demo import load_demo_data
    from groundswell.geography.demo import load_demo_geography

    settings.GROUNDSWELL_GEOGRAPHY_PACK = str(tmp_path / "nowhere")
    assert "no pack at" in load_demo_geography()
    load_demo_data(signatures=10)
    assert set(Signature.objects.values_list("constituency_code", flat=True)) == {""}


@pytest.mark.parametrize("with_pack", [False, True])
def test_the_petition_page_and_json_take_few_queries(client, django_assert_max_num_queries, request, with_pack):
    """The petition, its count, whether the puzzle is on (protection), and the active boundary set;
    with a pack, one grouped query of the counts too. The directory is kept per process."""
    if with_pack:
        request.getfixturevalue("imported_pack")
    petition = make_petition()
    confirmed_signature(petition, "q@example.org", "E14001234" if with_pack else "")
    for path in (f"/petitions/{petition.slug}/", f"/petitions/{petition.slug}.json"):
        client.get(path)  # loads the directory into this process
        with django_assert_max_num_queries(5 if with_pack else 4):
            assert client.get(path).status_code == 200
