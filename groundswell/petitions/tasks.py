"""Background work for petitions. Safe to run twice, and in several workers at once."""

import logging
import smtplib

from django_tasks import task

from groundswell.core.mail import close_worker_connection, permanently_refused, send_over_open_connection
from groundswell.petitions import actions, outbox
from groundswell.petitions.emails import build_signature_email
from groundswell.petitions.models import Signature

logger = logging.getLogger(__name__)


def send_due_batch(limit: int = outbox.BATCH_SIZE) -> tuple[int, int]:
    """Claim and send one batch of due signature emails; returns (claimed, sent).

    If the SMTP server is down, the rest of the batch is postponed with a growing delay, and
    every signature stays.
    """
    ids, claimed_at = outbox.claim_due_emails(limit=limit)
    if not ids:
        return 0, 0
    signatures = Signature.objects.select_related("petition__campaign__organisation").filter(pk__in=ids)
    sent, later, refused = [], [], []
    for signature in signatures:
        try:
            send_over_open_connection(build_signature_email(signature))
        except smtplib.SMTPRecipientsRefused as error:
            (refused if permanently_refused(error) else later).append(signature.pk)
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("Could not send signature emails (%s); will retry later", error)
            close_worker_connection()
            later.extend(pk for pk in ids if pk not in sent and pk not in refused and pk not in later)
            break
        else:
            sent.append(signature.pk)
    outbox.record_sent(ids=sent, claimed_at=claimed_at)
    outbox.record_failed(ids=later)
    outbox.record_failed(ids=refused, give_up=True)
    if refused:
        logger.warning("%s signature emails refused for good by the mail server", len(refused))
    return len(ids), len(sent)


@task()
def send_due_signature_emails() -> int:
    """Send signature emails until none is due; returns how many were sent.

    `groundswell worker` runs this continuously (worker.py); it can also be queued as a task.
    """
    total = 0
    while True:
        claimed, sent = send_due_batch()
        total += sent
        if not claimed:
            return total


@task()
def purge_expired_signatures() -> int:
    return actions.purge_expired_signatures()
