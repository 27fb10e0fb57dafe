"""Reading bounces: which letter a returned message is about, and whether it is a real bounce.

Every letter goes out with the envelope sender bounces+<token>@<bounce domain> (VERP), so the
mail server that gives up on it sends the failure report (a DSN, RFC 3464) to that address. The
MTA pipes what arrives there to `groundswell letters receive-bounce`. Only a delivery-status report
saying "failed" counts: auto-replies ("out of office") also go to the envelope sender, and must
not flag anyone. The token is random (a letter's UUID), so a bounce cannot be forged for a letter
without having been sent it.
"""

import email
import email.policy
import re

_VERP = re.compile(r"bounces\+(d?[0-9a-f]{32})@", re.IGNORECASE)


def token_from_address(address: str) -> str | None:
    match = _VERP.search(address or "")
    return match.group(1).lower() if match else None


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def is_failure_report(message) -> bool:
    """A DSN (multipart/report; report-type=delivery-status) with at least one failed recipient."""
    if message.get_content_type() != "multipart/report":
        return False
    if (message.get_param("report-type") or "").lower() != "delivery-status":
        return False
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            blocks = payload if isinstance(payload, list) else [part]
            for block in blocks:
                text = block.as_string() if hasattr(block, "as_string") else str(block)
                if re.search(r"^Action:\s*failed", text, re.IGNORECASE | re.MULTILINE):
                    return True
    return False


def token_from_message(message, recipient: str = "") -> str | None:
    """The envelope recipient the MTA gives us, else the headers it adds (Delivered-To, X-Original-To) or To."""
    for candidate in (recipient, message.get("Delivered-To", ""), message.get("X-Original-To", ""), message.get("To", "")):
        token = token_from_address(str(candidate))
        if token:
            return token
    return None
