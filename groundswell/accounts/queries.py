from django.utils import timezone

from groundswell.accounts import permissions
from groundswell.accounts.models import Invitation, Membership, TeamEvent


def organisations_for(user):
    """The organisations a logged-in user belongs to, in any role (each may read its pages)."""
    return permissions.organisations_where(user, permissions.READ)


def editable_organisations_for(user):
    """The organisations whose campaigns and petitions this user may create and edit."""
    return permissions.organisations_where(user, permissions.EDIT)


def moderated_organisations_for(user):
    """The organisations whose petitions' signatures this user may moderate."""
    return permissions.organisations_where(user, permissions.MODERATE)


def exportable_organisations_for(user):
    """The organisations whose supporters this user may see and export."""
    return permissions.organisations_where(user, permissions.EXPORT)


def managed_organisations_for(user):
    """The organisations whose team and settings this user manages (owners)."""
    return permissions.organisations_where(user, permissions.MANAGE)


def team_of(organisation):
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__email")


def pending_invitations(organisation):
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def team_log(organisation, limit: int = 100):
    return TeamEvent.objects.filter(organisation=organisation)[:limit]


def owner_addresses(organisation_id: int) -> list[str]:
    """The addresses of an organisation's active owners (for emails about its settings)."""
    return sorted(
        {
            m.user.email
            for m in Membership.objects.filter(organisation_id=organisation_id, role=Membership.Role.OWNER).select_related("user")
            if m.user.email and m.user.is_active
        }
    )


def organisation_requires_two_step(user) -> bool:
    return user.is_authenticated and Membership.objects.filter(user=user, organisation__two_step_required=True).exists()


def second_step_devices(user):
    """(authenticator, backup codes): the user's confirmed TOTP device and their static device if
    it still holds unused codes; either may be None. Both None: two-step login is off."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not user.is_authenticated:
        return None, None
    authenticator = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    backup = StaticDevice.objects.filter(user=user, confirmed=True, token_set__isnull=False).order_by("pk").first()
    return authenticator, backup


def backup_codes_left(user) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
