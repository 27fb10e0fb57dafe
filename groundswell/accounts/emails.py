"""Building the emails organisers receive about their accounts; the outbox sends them."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from groundswell.accounts.tokens import INVITATION_LINK

PASSWORD_RESET = "accounts.password_reset"
INVITATION = "accounts.invitation"


def build_password_reset_email(user) -> EmailMessage:
    """A one-time link to choose a new password, made when the email is sent (so it works for
    PASSWORD_RESET_TIMEOUT from then, however long the queue was)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "email": user.email,
        "reset_url": settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token]),
        "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    subject = render_to_string("accounts/emails/password_reset_subject.txt", context).strip()
    return EmailMessage(
        subject=subject,
        body=render_to_string("accounts/emails/password_reset.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def build_invitation_email(invitation) -> EmailMessage:
    """The invitation to join a team: a signed link carrying only the invitation's random id."""
    context = {
        "organisation": invitation.organisation.name,
        "role": invitation.get_role_display(),
        "invited_by": invitation.invited_by.email if invitation.invited_by else "",
        "accept_url": settings.SITE_URL + reverse("accounts:invitation", args=[INVITATION_LINK.make(invitation.public_id)]),
        "valid_days": settings.TEAM_INVITATION_DAYS,
    }
    subject = render_to_string("accounts/emails/invitation_subject.txt", context).strip()
    return EmailMessage(
        subject=subject,
        body=render_to_string("accounts/emails/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
