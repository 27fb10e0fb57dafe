"""Production's SMTP backend writes each message as Django would, byte for byte.

`core.mail.message_bytes` skips the email library's header folding where it changes nothing and
chooses multipart boundaries itself (docs/performance.md: email capacity). These tests build
real messages of every shape the platform sends and compare the bytes with Django's own
`as_bytes`, boundaries aside.
"""

import email
import email.policy
import random
import re
import string

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives

from groundswell.core.mail import message_bytes

BOUNDARY = re.compile(rb'boundary="([^"]+)"')


def _same_but_boundaries(ours: bytes, django: bytes) -> None:
    for found in (BOUNDARY.findall(ours), BOUNDARY.findall(django)):
        assert found, "a multipart message names its boundaries"
    for mine, theirs in zip(BOUNDARY.findall(ours), BOUNDARY.findall(django), strict=True):
        ours = ours.replace(mine, b"BOUNDARY")
        django = django.replace(theirs, b"BOUNDARY")
    assert ours == django


def _build(subject: str, *, to="Ann Example <ann@example.org>", html=True, attachment=False):
    message = EmailMultiAlternatives(
        subject=subject,
        body="Please confirm your signature.\n\nLine two, with “quotes” and £.\n" + "long " * 40,
        from_email="Our Coalition <petitions@example.org>",
        to=[to],
        headers={"Auto-Submitted": "auto-generated", "Reply-To": "reply+abc123@example.org"},
    )
    if html:
        message.attach_alternative("<p>Please <a href='https://example.org/c/x'>confirm</a>.</p>", "text/html")
    if attachment:
        message.attach("event.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return message.message()


@pytest.mark.parametrize(
    "subject",
    [
        "Please confirm your signature: Care, not police",
        "Please confirm your signature: Gofal, nid heddlu – â ê î ô û ŵ ŷ",  # not ASCII: encoded words
        "Please confirm your signature: " + "a very long petition title " * 6,  # folded
        "Tabs\tand  double  spaces stay as they are",
        "=?utf-8?q?looks_encoded?= but is not",
    ],
)
@pytest.mark.parametrize("shape", [{"html": True}, {"html": False, "attachment": True}, {"html": True, "attachment": True}])
def test_the_bytes_are_djangos_own(subject, shape):
    built = _build(subject, **shape)
    theirs = built.as_bytes(linesep="\r\n")
    ours = message_bytes(built)
    if built.is_multipart():
        _same_but_boundaries(ours, theirs)
    else:
        assert ours == theirs
    assert email.message_from_bytes(ours, policy=email.policy.default)["To"] == "Ann Example <ann@example.org>"


def test_a_single_part_message_is_unchanged():
    built = EmailMessage("Plain", "Just text.", "a@example.org", ["b@example.org"]).message()
    assert message_bytes(built) == built.as_bytes(linesep="\r\n")


def test_any_short_ascii_header_is_written_as_the_library_would():
    """The shortcut covers exactly the headers the library leaves alone: random ASCII values of
    every length up to where folding starts, with spaces, tabs and punctuation."""
    from email.policy import Compat32

    library = Compat32(linesep="\r\n")
    from groundswell.core.mail import _QUICK_POLICY

    ours = _QUICK_POLICY.clone(linesep="\r\n")
    alphabet = string.ascii_letters + string.digits + " \t=?:;,<>@\"'()"
    chooser = random.Random(8)
    for _ in range(20000):
        name = chooser.choice(["Subject", "To", "From", "Message-ID", "X-Mailer"])
        value = "".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, 90)))
        assert ours.fold_binary(name, value) == library.fold_binary(name, value)


def test_plain_addresses_go_on_the_envelope_as_django_would_put_them():
    from django.core.mail.message import sanitize_address

    from groundswell.core.mail import envelope_address

    chooser = random.Random(3)
    local_chars = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-." + ' "(),:;<>@[\\]'
    domain_chars = string.ascii_letters + string.digits + "-." + "_ "
    shortcut_taken = 0
    for _ in range(5000):
        local = "".join(chooser.choice(local_chars) for _ in range(chooser.randint(1, 12)))
        domain = "".join(chooser.choice(domain_chars) for _ in range(chooser.randint(1, 12)))
        address = f"{local}@{domain}"
        try:
            expected = sanitize_address(address, "utf-8")
        except Exception as error:  # the library's parser fails in several ways on nonsense
            with pytest.raises(type(error)):
                envelope_address(address, "utf-8")
            continue
        assert envelope_address(address, "utf-8") == expected, address
        shortcut_taken += expected == address
    assert shortcut_taken > 250  # the comparison covered the shortcut, not only the slow path
    assert envelope_address("bounces+12x0a1b2c3d4e5f6a7b8c9d@mail.example.org", "utf-8") == "bounces+12x0a1b2c3d4e5f6a7b8c9d@mail.example.org"
    assert envelope_address("Ann <ann@example.org>", "utf-8") == "Ann <ann@example.org>"
