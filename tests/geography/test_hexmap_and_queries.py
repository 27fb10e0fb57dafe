import pytest

from groundswell.geography import hexmap, queries
from groundswell.petitions.queries import signature_totals_by_area
from tests.factories import make_petition
from tests.geography.test_views import confirmed_signature


def test_shade_bands_cover_every_count_once_darker_for_more():
    for maximum in (1, 2, 3, 7, 10, 999, 1_000_000):
        bands = hexmap.shade_bands(maximum)
        assert bands[0][0] == 1 and bands[-1][1] == maximum
        for (low, high, _), (next_low, _, _) in zip(bands, bands[1:]):
            assert low <= high and next_low == high + 1
        colours = [colour for _, _, colour in bands]
        assert colours == hexmap.SHADES[len(hexmap.SHADES) - len(colours):]  # always ending on the darkest
    assert hexmap.colour_for(0, hexmap.shade_bands(10)) == hexmap.NO_SIGNATURES_COLOUR
    assert hexmap.colour_for(10, hexmap.shade_bands(10)) == hexmap.SHADES[-1]


def _centre(svg, code):
    polygon = svg.split(f'data-code="{code}"')[0].rsplit("<polygon", 1)[1]
    points = [tuple(map(float, p.split(","))) for p in polygon.split('points="')[1].split('"')[0].split()]
    return sum(x for x, _ in points) / 6, sum(y for _, y in points) / 6


def test_odd_r_layout_odd_rows_sit_half_a_hex_right_and_north_is_up():
    row = {"name": "", "signatures": 0}
    rows = [
        {**row, "code": "A", "name": "A", "hex_q": 0, "hex_r": 0},
        {**row, "code": "B", "name": "B", "hex_q": 0, "hex_r": 1},
        {**row, "code": "C", "name": "C", "hex_q": 1, "hex_r": 0},
    ]
    svg = str(hexmap.render_hex_map(rows, title="t"))
    (ax, ay), (bx, by), (cx, cy) = _centre(svg, "A"), _centre(svg, "B"), _centre(svg, "C")
    assert cx - ax == pytest.approx(hexmap.HEX_WIDTH, abs=0.2)
    assert bx - ax == pytest.approx(hexmap.HEX_WIDTH / 2, abs=0.2)  # odd row: half a hex right
    assert ay - by == pytest.approx(hexmap.ROW_HEIGHT, abs=0.2)  # r grows northwards: drawn higher


def test_the_key_fits_inside_the_drawing_of_a_map_of_few_constituencies():
    import re

    rows = [{"code": c, "name": c, "hex_q": q, "hex_r": 0, "signatures": n} for c, q, n in [("A", 0, 1), ("B", 1, 50), ("C", 2, 0)]]
    svg = str(hexmap.render_hex_map(rows, title="t"))
    height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    keys = [float(y) for y in re.findall(r'<rect x="\d+" y="(\d+)" width="16"', svg)]
    assert len(keys) == 6  # "None" and five bands
    assert max(keys) + 16 <= height


@pytest.mark.django_db
def test_lookup_and_counts_take_a_fixed_small_number_of_queries(imported_pack, django_assert_num_queries):
    petition = make_petition()
    for i, code in enumerate(["E14001234", "E14001063", "E14001063"]):
        confirmed_signature(petition, f"signer{i}@example.org", code)
    with django_assert_num_queries(2):  # the active set, then the postcode with its constituency
        assert queries.lookup_postcode("gu2 7xx").name == "Guildford"
    queries.constituency_directory()  # loaded once per process and set
    with django_assert_num_queries(2):  # the active set's key, and one grouped query of the counts
        rows = queries.constituency_rows(signature_totals_by_area(petition))
    assert {row["code"]: row["signatures"] for row in rows}["E14001063"] == 2
