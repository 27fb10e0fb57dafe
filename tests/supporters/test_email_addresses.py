import pytest

from groundswell.supporters.email_addresses import normalise_email


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Alice@Example.ORG", "alice@example.org"),
        ("  bob@example.org ", "bob@example.org"),
        ("Jo.Bloggs+petition@gmail.com", "jobloggs@gmail.com"),
        ("jo.bloggs@googlemail.com", "jobloggs@gmail.com"),
        ("sam+news@outlook.com", "sam@outlook.com"),
        ("sam.smith@outlook.com", "sam.smith@outlook.com"),  # Outlook does not ignore dots
        ("first.last+x@example.org", "first.last+x@example.org"),  # unknown provider: keep both
    ],
)
def test_normalise_email(typed, expected):
    assert normalise_email(typed) == expected
