"""Background work for the ledger. Every task loads by id and is safe to run twice."""

import logging
import smtplib

from django_tasks import task

from groundswell.accounts.models import Organisation
from groundswell.ledger import actions
from groundswell.ledger.emails import build_digest
from groundswell.ledger.models import Reminder

logger = logging.getLogger(__name__)


@task()
def send_ledger_digest(organisation_id: int) -> str:
    """Email the organisation's organisers about overdue commitments and silent targets.

    Claims the organisation's unsent reminders first, so two copies of this task never send the
    same reminder; if the SMTP server refuses, the claim is released and the next housekeeping
    run queues the digest again.
    """
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return "organisation no longer exists"
    batch = actions.claim_unsent_reminders(organisation_id=organisation_id)
    reminders = list(
        Reminder.objects.filter(batch=batch, sent_at__isnull=True).select_related(
            "commitment__response__ask__target", "commitment__response__ask__campaign", "ask__target", "ask__campaign"
        )
    )
    if not reminders:
        return "nothing to send"
    message = build_digest(organisation, reminders)
    if message is None:  # everything was answered or kept in the meantime, or nobody to tell
        actions.mark_reminders_sent(batch=batch)
        return "nothing still due"
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Could not send the ledger digest to organisation %s (%s); will retry", organisation_id, error)
        actions.release_reminders(batch=batch)
        return "retry at next housekeeping"
    actions.mark_reminders_sent(batch=batch)
    return f"sent {len(reminders)} reminders"
