"""The hidden parts of the signing form: a honeypot, a signed timestamp, a proof-of-work puzzle.

None of them asks a person to do anything. The honeypot is an input that people never see or
hear (hidden by CSS, aria-hidden, out of the tab order, with a label saying to leave it empty);
scripts that fill every input fill it. The timestamp token is signed with the site's secret and
names the petition: a submission with none or a forged one is flagged. How quickly the form was
sent is not held against anyone: a browser that fills the form in by itself can send it within a
second, and a signer held back for speed alone would confirm by email and never be counted. Floods
are caught by the rate limits and the honeypot instead (docs/moderation.md). A token that is
merely old (a form left open overnight on a slow device) is not held against anyone either: the
form is shown again with its answers and a note.

The proof of work follows ALTCHA's scheme: the server picks a random number up to
PROOF_OF_WORK_MAX_NUMBER and publishes sha256(salt + number) with an HMAC of it; the browser
(protection/static/protection/pow.js) finds the number by trying them all, which costs a
person's browser a second or two once and a bulk signer that much per signature.
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

HONEYPOT_FIELD = "gs_leave_empty"
TOKEN_FIELD = "gs_form_token"
POW_FIELDS = ("gs_pow_salt", "gs_pow_challenge", "gs_pow_signature", "gs_pow_number")
_TOKEN_SALT = "groundswell.protection.sign-form"


def make_form_token(petition_id: int, *, issued_at: float | None = None) -> str:
    signer = signing.TimestampSigner(salt=_TOKEN_SALT)
    if issued_at is None:
        return signer.sign(str(petition_id))
    # Tests and benchmarks stamp a past time; TimestampSigner reads the clock itself.
    value = f"{petition_id}{signer.sep}{signing.b62_encode(int(issued_at))}"
    return f"{value}{signer.sep}{signer.signature(value)}"


@dataclass(frozen=True)
class TokenCheck:
    problem: str = ""  # a flag reason, or ""
    expired: bool = False  # genuine but too old: ask the person to send the form again


def check_form_token(token: str, petition_id: int, *, now: float | None = None) -> TokenCheck:
    if not token:
        return TokenCheck(problem="form_token_missing")
    signer = signing.TimestampSigner(salt=_TOKEN_SALT)
    try:
        value = signer.unsign(token)
        issued_at = signing.b62_decode(token.split(signer.sep)[-2])
    except (signing.BadSignature, ValueError):
        return TokenCheck(problem="form_token_invalid")
    if value != str(petition_id):
        return TokenCheck(problem="form_token_invalid")
    age = (time.time() if now is None else now) - issued_at
    if age > settings.SIGN_FORM_MAX_AGE_HOURS * 3600:
        return TokenCheck(expired=True)
    return TokenCheck()  # however fast: timing alone never flags a signature


# --- Proof of work -------------------------------------------------------------------------


def _hmac(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"pow:{value}".encode(), hashlib.sha256).hexdigest()


def make_challenge(*, max_number: int | None = None) -> dict:
    max_number = max_number or settings.PROOF_OF_WORK_MAX_NUMBER
    expires = int(time.time()) + settings.SIGN_FORM_MAX_AGE_HOURS * 3600
    salt = f"{secrets.token_hex(12)}?expires={expires}"
    number = secrets.randbelow(max_number + 1)
    challenge = hashlib.sha256(f"{salt}{number}".encode()).hexdigest()
    return {"salt": salt, "challenge": challenge, "signature": _hmac(challenge), "max_number": max_number}


def solve_challenge(salt: str, challenge: str, max_number: int) -> int | None:
    """What pow.js does, in Python: for tests and for the benchmark."""
    for number in range(max_number + 1):
        if hashlib.sha256(f"{salt}{number}".encode()).hexdigest() == challenge:
            return number
    return None


def check_proof_of_work(data) -> str:
    """'' if the puzzle was solved (once), else a flag reason."""
    salt, challenge, signature, number = (data.get(name, "") for name in POW_FIELDS)
    if not number:
        return "proof_of_work_missing"
    if not (salt and challenge and hmac.compare_digest(_hmac(challenge), signature)):
        return "proof_of_work_invalid"
    try:
        expires = int(salt.rpartition("?expires=")[2])
    except ValueError:
        return "proof_of_work_invalid"
    if expires < time.time():
        return "proof_of_work_invalid"
    if hashlib.sha256(f"{salt}{number}".encode()).hexdigest() != challenge:
        return "proof_of_work_invalid"
    # One solution, one signature: a solved puzzle cannot be replayed.
    if not cache.add(f"gs:protection:pow-used:{challenge}", 1, timeout=settings.SIGN_FORM_MAX_AGE_HOURS * 3600 + 60):
        return "proof_of_work_reused"
    return ""
