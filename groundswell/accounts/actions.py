"""Writes for organisations and their organisers."""

from datetime import timedelta

from axes.utils import reset
from django.contrib.auth import get_user_model
from django.conf import settings
from django.db import transaction
from django.utils import translation

from groundswell.accounts import emails
from groundswell.accounts.backends import normalise_login_name
from groundswell.accounts.models import Membership, Organisation
from groundswell.core import outbox
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
    """Switch on a device the organiser has just proved they hold. It replaces any other: a
    half-made one, or the app on a lost phone (replacing needs a session that gave its second
    step, with the old app or a backup code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()


BACKUP_CODE_COUNT = 10


@transaction.atomic
def make_backup_codes(*, user, count: int = BACKUP_CODE_COUNT) -> list[str]:
    """New one-time backup codes for the second step, replacing any the organiser had.

    They are returned once, to be shown once; each works once (django-otp's static device
    deletes a code when it is used).
    """
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = set()
    while len(codes) < count:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return sorted(codes)


@transaction.atomic
def request_password_reset(*, email: str) -> int:
    """Queue a reset link for each active account with this address (usually one, or none).

    The page the person sees is the same whether or not an account exists, so it never reveals
    who organises with Groundswell.
    """
    from django.contrib.auth.forms import PasswordResetForm

    users = list(PasswordResetForm().get_users(email))
    for user in users:
        # Limited per address like every email a stranger can cause; the page says so for everyone.
        outbox.enqueue(emails.PASSWORD_RESET, object_id=user.pk, recipient=user.email, params={"language": translation.get_language() or settings.LANGUAGE_CODE})
    return len(users)


def lift_login_lockouts(*, user) -> int:
    """Forget django-axes' failed logins for this account, from every address: called once its
    owner has proved they hold its email by completing a password reset."""
    return reset(username=normalise_login_name(user.get_username()))


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


def _active_users(ids: list[int]) -> dict:
    return get_user_model().objects.filter(is_active=True).in_bulk(ids)


outbox.register(
    outbox.EmailKind(
        name=emails.PASSWORD_RESET,
        load=_active_users,
        build=lambda user, row: emails.build_password_reset_email(user) if user.email else None,
        transactional=True,  # the organiser has just asked for it
        limited=True,  # anyone can type an organiser's address into the form
        give_up_after=timedelta(hours=1),  # a reset link is only useful soon after it was asked for
    )
)
