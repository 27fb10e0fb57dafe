"""Writes for organisations and their organisers."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from groundswell.accounts.models import Membership, Organisation
from groundswell.core.slugs import unique_slug


@transaction.atomic
def create_organisation(*, name: str, owner=None, slug: str = "") -> Organisation:
    slug = slug or unique_slug(Organisation.objects.all(), name, prefix="organisation")
    organisation = Organisation.objects.create(name=name, slug=slug)
    if owner is not None:
        Membership.objects.create(organisation=organisation, user=owner, role=Membership.Role.OWNER)
    return organisation


@transaction.atomic
def add_organiser(*, organisation: Organisation, email: str, password: str, role=Membership.Role.ORGANISER):
    """Create (or find) the user for an email address and give them a role in the organisation."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=email.lower(), defaults={"email": email.lower()})
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(organisation=organisation, user=user, defaults={"role": role})
    return user


@transaction.atomic
def start_authenticator_setup(*, user):
    """The organiser's unconfirmed authenticator device, made once and reused until confirmed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def confirm_authenticator(*, device):
    """Switch on a device the organiser has just proved they hold; forget any half-made others."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).exclude(pk=device.pk).delete()


@transaction.atomic
def request_password_reset(*, email: str) -> int:
    """Queue a reset link for each active account with this address (usually one, or none).

    The page the person sees is the same whether or not an account exists, so it never reveals
    who organises with Groundswell.
    """
    from django.contrib.auth.forms import PasswordResetForm

    from groundswell.accounts.tasks import send_password_reset_email
    from groundswell.core.tasks import enqueue

    users = list(PasswordResetForm().get_users(email))
    for user in users:
        enqueue(send_password_reset_email, user.pk)
    return len(users)


def forget_old_login_failures(*, now=None) -> int:
    """Delete django-axes' records of failed logins (username, IP address, browser) once they can
    no longer lock anyone out: a day, or the lockout time if longer (docs/privacy.md)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    now = now or timezone.now()
    keep = max(timedelta(days=1), settings.AXES_COOLOFF_TIME)
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=now - keep).delete()
    return deleted
