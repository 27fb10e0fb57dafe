from groundswell.accounts.models import Membership, Organisation


def organisations_for(user):
    """The organisations a logged-in user belongs to, in any role."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def editable_organisations_for(user):
    """The organisations whose campaigns and petitions this user may create and edit."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__role__in=[Membership.Role.OWNER, Membership.Role.ORGANISER],
    ).distinct()


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
