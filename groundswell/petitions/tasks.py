"""Background work for petitions. Every task loads by id and is safe to run twice."""

import logging
import smtplib
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from groundswell.core.mail import send_over_open_connection
from groundswell.petitions import actions
from groundswell.petitions.emails import build_signature_email
from groundswell.petitions.models import Signature

logger = logging.getLogger(__name__)

# Retry delays when the SMTP server cannot take a message: quick at first, then hourly, for
# about three days in all; past that the signature expires anyway.
RETRY_DELAYS_SECONDS = [30, 60, 120, 300, 600, 1800] + [3600] * 66


@task()
def send_signature_email(signature_id: int, attempt: int = 0) -> str:
    """Send a signer their confirmation link (or, if already confirmed, say so).

    If the SMTP server is down or refuses for now, the task queues itself again with a delay and
    ends normally: the signature stays, and the email goes once the server is back.
    """
    signature = Signature.objects.select_related("petition__campaign__organisation").filter(pk=signature_id).first()
    if signature is None:
        return "signature no longer exists"
    try:
        send_over_open_connection(build_signature_email(signature))
    except smtplib.SMTPRecipientsRefused as error:
        if all(code >= 500 for code, _ in error.recipients.values()):
            # Refused for good (no such mailbox): retrying cannot help; the signature will expire.
            logger.warning("Signature %s: the mail server refused the address for good", signature_id)
            return "address refused"
        return _retry_later(signature_id, attempt, error)
    except (smtplib.SMTPException, OSError) as error:
        return _retry_later(signature_id, attempt, error)
    actions.mark_confirmation_email_sent(signature_id=signature_id)
    return "sent"


def _retry_later(signature_id: int, attempt: int, error: Exception) -> str:
    if attempt >= len(RETRY_DELAYS_SECONDS):
        logger.error("Giving up sending signature %s email after %s attempts: %s", signature_id, attempt + 1, error)
        raise error
    delay = RETRY_DELAYS_SECONDS[attempt]
    logger.warning("Could not send signature %s email (%s); retrying in %ss", signature_id, error, delay)
    send_signature_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(signature_id, attempt + 1)
    return f"retry {attempt + 1} in {delay}s"


@task()
def purge_expired_signatures() -> int:
    return actions.purge_expired_signatures()
