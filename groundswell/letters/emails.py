"""Building letter emails; the outbox (core/outbox.py) sends them.

Letters go From the platform's address (so they pass SPF and DMARC), with Reply-To the supporter
(replies go straight to them); the outbox gives every message its own envelope sender,
bounces+<token>@<domain> (VERP), so a bounce names the letter it is about. Nothing a supporter types ever becomes a header line:
the subject is collapsed to one line, the name is stripped of control characters and quoted by
formataddr, the address was validated, and Django refuses any header containing a newline.
"""

import re
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from groundswell.letters import tokens
from groundswell.letters.models import Digest, Letter

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def one_line(text: str) -> str:
    """Text safe for a header: control characters and line breaks become spaces."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# The kinds of email letters send (core/outbox.py; registered in letters/actions.py).
CONFIRMATION = "letters.confirmation"
LETTER = "letters.letter"
DIGEST = "letters.digest"
FOLLOWUP = "letters.followup"
BOUNCE_NOTICE = "letters.bounce_notice"


def letter_text(letter: Letter) -> str:
    return render_to_string("letters/emails/letter.txt", {"letter": letter, "action": letter.action, "contact": letter.contact})


def build_letter_email(letter: Letter) -> EmailMessage:
    reply_to = formataddr((one_line(letter.supporter_name), letter.supporter_email))
    return EmailMessage(
        subject=one_line(letter.subject),
        body=letter_text(letter),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[letter.contact.email],
        reply_to=[reply_to],
    )


def build_digest_email(digest: Digest, letters: list[Letter]) -> EmailMessage:
    contact = digest.contact
    context = {"digest": digest, "contact": contact, "letters": letters, "count": len(letters), "sample": letters[0]}
    subject = one_line(ngettext("%(count)s constituent wrote this: %(subject)s", "%(count)s constituents wrote this: %(subject)s", len(letters)) % {"count": len(letters), "subject": letters[0].subject})
    if not letters[0].action.to_mp:
        subject = one_line(ngettext("%(count)s person wrote this: %(subject)s", "%(count)s people wrote this: %(subject)s", len(letters)) % {"count": len(letters), "subject": letters[0].subject})
    return EmailMessage(
        subject=subject,
        body=render_to_string("letters/emails/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact.email],
    )


def _to_supporter(letter: Letter, subject: str, template: str, context: dict) -> EmailMessage:
    return EmailMessage(
        subject=one_line(subject),
        body=render_to_string(template, {"letter": letter, "action": letter.action, "contact": letter.contact, **context}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[letter.supporter_email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def build_confirmation_email(letter: Letter, *, reminder: bool = False) -> EmailMessage:
    token = tokens.CONFIRMATION_LINK.make(letter.public_id)
    context = {
        "confirm_url": _absolute(reverse("letters:confirm", args=[token])),
        "reminder": reminder,
        "confirmation_days": settings.LETTERS_CONFIRMATION_DAYS,
    }
    subject = (gettext("Reminder: Please confirm your letter to %(name)s") if reminder else gettext("Please confirm your letter to %(name)s")) % {"name": letter.contact.name}
    return _to_supporter(letter, subject, "letters/emails/confirm.txt", context)


def build_followup_email(letter: Letter, *, reminder: bool = False) -> EmailMessage:
    token = tokens.FOLLOWUP_LINK.make(letter.public_id)
    answers = [(label, _absolute(reverse("letters:answer", args=[token, value]))) for value, label in Letter.Answer.choices]
    subject = (gettext("Reminder: Did you get a reply from %(name)s?") if reminder else gettext("Did you get a reply from %(name)s?")) % {"name": letter.contact.name}
    return _to_supporter(letter, subject, "letters/emails/followup.txt", {"answers": answers, "reminder": reminder})


def build_bounce_notice(letter: Letter) -> EmailMessage:
    subject = gettext("Your letter to %(name)s could not be delivered") % {"name": letter.contact.name}
    return _to_supporter(letter, subject, "letters/emails/bounced.txt", {})
