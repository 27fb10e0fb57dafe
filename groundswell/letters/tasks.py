"""Background work for letters. Each task loads by id and is safe to run twice."""

import logging
import smtplib
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from groundswell.core.mail import close_worker_connection, permanently_refused, send_over_open_connection
from groundswell.letters import actions, emails
from groundswell.letters.models import Digest, Letter

logger = logging.getLogger(__name__)

# Delays after successive failures to reach the mail server, about two days in all.
RETRY_DELAYS_SECONDS = [60, 300, 900, 1800] + [3600] * 44


def _send(message) -> None:
    try:
        send_over_open_connection(message)
    except (smtplib.SMTPException, OSError):
        close_worker_connection()
        raise


def _retry_later(the_task, attempts: int, *args) -> None:
    if attempts > len(RETRY_DELAYS_SECONDS):
        logger.error("Giving up on %s%r after %s attempts", the_task.name, args, attempts)
        return
    delay = RETRY_DELAYS_SECONDS[attempts - 1]
    the_task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(*args)


@task()
def send_confirmation_request(letter_id: int, reminder: bool = False) -> bool:
    letter = Letter.objects.select_related("action", "contact").filter(pk=letter_id, confirmed_at__isnull=True).first()
    if letter is None or not letter.supporter_email:
        return False  # confirmed or deleted meanwhile
    try:
        _send(emails.build_confirmation_email(letter, reminder=reminder))
    except smtplib.SMTPRecipientsRefused as error:
        if not permanently_refused(error):
            _retry_later(send_confirmation_request, 1, letter_id, reminder)
        return False
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Could not send a letter confirmation (%s); will retry", error)
        _retry_later(send_confirmation_request, 1, letter_id, reminder)
        return False
    return True


@task()
def deliver_letter(letter_id: int, attempt: int = 1) -> bool:
    """Send one confirmed letter to its recipient. A refusal for good counts as a bounce."""
    letter = Letter.objects.select_related("action__campaign__organisation", "contact").filter(pk=letter_id).first()
    if letter is None or letter.sent_at is not None or letter.confirmed_at is None or letter.text_deleted_at is not None:
        return False
    return _deliver(
        emails.build_letter_email(letter),
        record_sent=lambda: actions.record_sent(letter_ids=[letter.pk]),
        bounce_token=emails.letter_token(letter),
        retry=lambda: _retry_later(deliver_letter, attempt, letter_id, attempt + 1),
        what="a letter",
    )


@task()
def send_digest(digest_id: int, attempt: int = 1) -> bool:
    """Send a digest of near-identical letters ("N constituents wrote this") to its recipient."""
    digest = Digest.objects.select_related("contact").filter(pk=digest_id, sent_at__isnull=True).first()
    if digest is None:
        return False
    letters = list(digest.letters.select_related("action__campaign__organisation", "contact").order_by("confirmed_at"))
    letters = [letter for letter in letters if letter.text_deleted_at is None]
    if not letters:
        return False
    return _deliver(
        emails.build_digest_email(digest, letters),
        record_sent=lambda: actions.record_sent(letter_ids=[letter.pk for letter in letters], digest=digest),
        bounce_token=emails.digest_token(digest),
        retry=lambda: _retry_later(send_digest, attempt, digest_id, attempt + 1),
        what="a letter digest",
    )


def _deliver(message, *, record_sent, bounce_token: str, retry, what: str) -> bool:
    """Send a letter or digest to its recipient and record the outcome: sent; refused for good
    (recorded as sent, then handled as a bounce, which flags the contact and tells the writers);
    or retried later when the server is down or says "try later"."""
    try:
        _send(message)
    except smtplib.SMTPRecipientsRefused as error:
        if permanently_refused(error):
            record_sent()
            actions.record_bounce(token=bounce_token)
        else:
            retry()
        return False
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Could not send %s (%s); will retry", what, error)
        retry()
        return False
    record_sent()
    return True


def _send_to_supporter(letter_id: int, build) -> bool:
    letter = Letter.objects.select_related("action", "contact").filter(pk=letter_id).first()
    if letter is None or not letter.supporter_email:
        return False
    try:
        _send(build(letter))
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Could not send a letter email to its writer (%s)", error)
        return False
    return True


@task()
def send_followup(letter_id: int, reminder: bool = False) -> bool:
    return _send_to_supporter(letter_id, lambda letter: emails.build_followup_email(letter, reminder=reminder))


@task()
def send_bounce_notice(letter_id: int) -> bool:
    return _send_to_supporter(letter_id, emails.build_bounce_notice)
