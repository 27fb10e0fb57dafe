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
