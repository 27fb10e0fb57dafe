"""Writes for organisations and their organisers."""

from datetime import timedelta

from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from groundswell.accounts import emails, permissions
from groundswell.accounts.backends import normalise_login_name
from groundswell.accounts.errors import AlreadyMember, InvitationExpired, InvitationNotValid, LastOwner, WrongAccount
from groundswell.accounts.models import Invitation, Membership, Organisation, TeamEvent
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


# -- the team: invitations, roles, leaving ------------------------------------------------------


def _log(organisation, kind, *, by=None, email="", old_role="", new_role="", detail=""):
    TeamEvent.objects.create(
        organisation=organisation, kind=kind, by=by, by_email=getattr(by, "email", "") or "",
        email=email, old_role=old_role, new_role=new_role, detail=detail,
    )


def find_user_by_email(email: str):
    """The account for this address, in any case (as logging in finds it), or None."""
    matches = list(get_user_model()._default_manager.filter(username__iexact=email.strip())[:2])
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def invite_member(*, organisation: Organisation, email: str, role: str, by) -> Invitation:
    """An owner invites someone by email with a role; the email is queued in the same transaction.

    An earlier invitation of the same address that is still pending is withdrawn: the newest link
    is the one that works."""
    permissions.require(by, organisation, permissions.MANAGE)
    email = email.strip()
    existing = find_user_by_email(email)
    if existing is not None and Membership.objects.filter(organisation=organisation, user=existing).exists():
        raise AlreadyMember(email)
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=by,
        expires_at=now + timedelta(days=settings.TEAM_INVITATION_DAYS),
    )
    _log(organisation, TeamEvent.Kind.INVITED, by=by, email=email, new_role=role)
    # Not limited: only an owner, logged in, can cause it.
    outbox.enqueue(emails.INVITATION, object_id=invitation.pk, recipient=email)
    return invitation


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by) -> None:
    permissions.require(by, invitation.organisation, permissions.MANAGE)
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(withdrawn_at=timezone.now())
    outbox.cancel(emails.INVITATION, object_ids=[invitation.pk])
    _log(invitation.organisation, TeamEvent.Kind.INVITATION_WITHDRAWN, by=by, email=invitation.email, new_role=invitation.role)


def check_invitation(invitation: Invitation | None) -> Invitation:
    if invitation is None or invitation.accepted_at is not None or invitation.withdrawn_at is not None:
        raise InvitationNotValid()
    if invitation.expires_at <= timezone.now():
        raise InvitationExpired()
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user=None, password: str | None = None):
    """Join the team the invitation is for. `user` is the logged-in account (its address must be
    the invited one); with no user, a new account is made for the invited address with `password`.
    Returns the user. The row is locked, so a link used twice at once makes one membership."""
    invitation = check_invitation(Invitation.objects.select_for_update().filter(pk=invitation.pk).first())
    if user is None:
        if find_user_by_email(invitation.email) is not None:
            raise WrongAccount()  # an account exists: its owner logs in first
        address = invitation.email.lower()
        user = get_user_model().objects.create_user(username=address, email=address, password=password)
    elif normalise_login_name(user.get_username()) != normalise_login_name(invitation.email) and (
        normalise_login_name(user.email) != normalise_login_name(invitation.email)
    ):
        raise WrongAccount()
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    if created:
        _log(invitation.organisation, TeamEvent.Kind.JOINED, by=user, email=user.email, new_role=invitation.role)
    return user


def _other_owners(membership) -> bool:
    return (
        Membership.objects.filter(organisation_id=membership.organisation_id, role=Membership.Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def change_role(*, membership: Membership, role: str, by) -> Membership:
    permissions.require(by, membership.organisation, permissions.MANAGE)
    if role not in Membership.Role.values:
        raise ValueError(role)
    membership = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    if membership.role == role:
        return membership
    if membership.role == Membership.Role.OWNER and not _other_owners(membership):
        raise LastOwner()
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _log(membership.organisation, TeamEvent.Kind.ROLE_CHANGED, by=by, email=membership.user.email, old_role=old, new_role=role)
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by) -> None:
    """An owner removes someone, or a member leaves. Access ends with this commit: every page asks
    the database for the membership (accounts/permissions.py)."""
    leaving = membership.user_id == getattr(by, "pk", None)
    if not leaving:
        permissions.require(by, membership.organisation, permissions.MANAGE)
    membership = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    if membership.role == Membership.Role.OWNER and not _other_owners(membership):
        raise LastOwner()
    membership.delete()
    _log(
        membership.organisation, TeamEvent.Kind.LEFT if leaving else TeamEvent.Kind.REMOVED,
        by=by, email=membership.user.email, old_role=membership.role,
    )


@transaction.atomic
def set_two_step_required(*, organisation: Organisation, required: bool, by) -> None:
    permissions.require(by, organisation, permissions.MANAGE)
    Organisation.objects.filter(pk=organisation.pk).update(two_step_required=required)
    organisation.two_step_required = required
    _log(organisation, TeamEvent.Kind.SETTINGS_CHANGED, by=by, detail="two-step login required" if required else "two-step login optional")


def _invitations(ids: list[int]) -> dict:
    now = timezone.now()
    found = Invitation.objects.select_related("organisation", "invited_by").in_bulk(ids)
    return {pk: invitation for pk, invitation in found.items() if invitation.is_pending(now)}


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

outbox.register(
    outbox.EmailKind(
        name=emails.INVITATION,
        load=_invitations,  # a withdrawn, accepted or expired invitation is not sent
        build=lambda invitation, row: emails.build_invitation_email(invitation),
        transactional=True,  # an owner asked for it, naming the person
    )
)
