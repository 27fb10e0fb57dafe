import pytest

from groundswell.geography.postcodes import is_valid_postcode, normalise_postcode


@pytest.mark.parametrize(
    "typed, expected",
    [("gu27xx", "GU2 7XX"), (" sw1a   1aa ", "SW1A 1AA"), ("M1 1AE", "M1 1AE"), ("ec1a-1bb", "EC1A 1BB"), ("B338TH", "B33 8TH")],
)
def test_normalise_postcode(typed, expected):
    assert normalise_postcode(typed) == expected
    assert is_valid_postcode(typed)


@pytest.mark.parametrize("typed", ["", "hello", "12345", "SW1A", "QQ1 1AA", "SW1A 1AAA", "<script>", "GU2 7XX; DROP"])
def test_invalid_postcodes(typed):
    assert not is_valid_postcode(typed)
