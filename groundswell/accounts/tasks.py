"""Background work for organisers' accounts. Tasks load by id."""

import logging
import smtplib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from groundswell.accounts.emails import build_password_reset_email

logger = logging.getLogger(__name__)

# A reset link is only useful soon after it was asked for: retry for about an hour, then stop.
RETRY_DELAYS_SECONDS = [30, 60, 120, 300, 600, 1200, 1800]


@task()
def send_password_reset_email(user_id: int, attempt: int = 0) -> str:
    """Email an organiser a password reset link. Running it twice sends a second, equally valid
    link, which is harmless; the task row holds only the user's id, never the link."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return "no such active user"
    try:
        build_password_reset_email(user).send()
    except (smtplib.SMTPException, OSError) as error:
        if attempt >= len(RETRY_DELAYS_SECONDS):
            logger.error("Giving up sending a password reset email after %s attempts: %s", attempt + 1, error)
            raise
        delay = RETRY_DELAYS_SECONDS[attempt]
        logger.warning("Could not send a password reset email (%s); retrying in %ss", error, delay)
        send_password_reset_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(user_id, attempt + 1)
        return f"retry {attempt + 1} in {delay}s"
    return "sent"
