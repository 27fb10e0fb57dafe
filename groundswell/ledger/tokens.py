"""The ledger's emailed links and reply addresses.

- `ANSWER_LINK` (core/signed_links.py): the institution's private answer link. It carries the
  ask's random public id, signed for this purpose only, and expires after
  LEDGER_ANSWER_LINK_DAYS; each chaser brings a fresh one. It can only ever make a draft.
- The reply address `answer+<ask id>x<check>@<bounce domain>`: the check is keyed with the
  site's secret, so nobody can forge a reply address for another ask.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from groundswell.core import outbox
from groundswell.core.signed_links import LinkPurpose

ANSWER_LINK = LinkPurpose(salt="groundswell.ledger.answer", max_age=lambda: timedelta(days=settings.LEDGER_ANSWER_LINK_DAYS))
REPLY_PREFIX = "answer"


def reply_token(ask_id: int) -> str:
    check = salted_hmac("groundswell.ledger.reply", str(ask_id), algorithm="sha256").hexdigest()[:20]
    return f"{ask_id}x{check}"


def ask_id_from_reply_token(token: str) -> int | None:
    number, _, check = (token or "").lower().partition("x")
    if not number.isdigit() or not check:
        return None
    return int(number) if constant_time_compare(reply_token(int(number)), f"{number}x{check}") else None


def reply_address(ask_id: int) -> str:
    return f"{REPLY_PREFIX}+{reply_token(ask_id)}@{outbox.bounce_domain()}"
