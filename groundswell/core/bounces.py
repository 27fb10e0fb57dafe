"""Reading what comes back to an envelope sender: which outgoing email it is about, and whether
it is a real bounce or a spam complaint.

Every email goes out with its own envelope sender, bounces+<token>@<bounce domain> (VERP:
core/outbox.py), so the mail server that gives up on it sends the failure report (a DSN, RFC
3464) there, and a mailbox provider's feedback loop sends complaints (ARF, RFC 5965) there too.
The MTA pipes what arrives to `groundswell mail receive-bounce`. Only a delivery-status report
saying "failed", or a feedback report, counts: auto-replies ("out of office") also go to the
envelope sender and must not suppress anyone. The token is keyed, so a bounce cannot be forged.
"""

import email
import email.policy
import re

_VERP = re.compile(r"bounces\+([0-9]+x[0-9a-f]+)@", re.IGNORECASE)


def token_from_address(address: str) -> str | None:
    match = _VERP.search(address or "")
    return match.group(1).lower() if match else None


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def _report_type(message) -> str:
    if message.get_content_type() != "multipart/report":
        return ""
    return (message.get_param("report-type") or "").lower()


def is_failure_report(message) -> bool:
    """A DSN (multipart/report; report-type=delivery-status) with at least one failed recipient."""
    if _report_type(message) != "delivery-status":
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


def is_complaint(message) -> bool:
    """A feedback report (multipart/report; report-type=feedback-report): someone pressed
    "this is spam"."""
    return _report_type(message) == "feedback-report"


def token_from_message(message, recipient: str = "") -> str | None:
    """The envelope recipient the MTA gives us, else the headers it adds (Delivered-To, X-Original-To) or To."""
    for candidate in (recipient, message.get("Delivered-To", ""), message.get("X-Original-To", ""), message.get("To", "")):
        token = token_from_address(str(candidate))
        if token:
            return token
    return None
