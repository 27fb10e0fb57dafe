"""Who may do what in an organisation: the one permission check every organiser page and action uses.

A role gives a set of capabilities:

| role      | read | moderate | edit | export | manage (team, settings, API tokens, webhooks) |
|-----------|------|----------|------|--------|------------------------------------------------|
| owner     | yes  | yes      | yes  | yes    | yes                                            |
| organiser | yes  | yes      | yes  | yes    |                                                |
| moderator | yes  | yes      |      |        |                                                |
| viewer    | yes  |          |      |        |                                                |

Every check asks the database (`organisations_where`), on every request, so a member removed or
given a smaller role loses the access at once: nothing is remembered in a session.
"""

from django.core.exceptions import PermissionDenied

from groundswell.accounts.models import Membership, Organisation, Role

READ = "read"
MODERATE = "moderate"
EDIT = "edit"
EXPORT = "export"
MANAGE = "manage"
CAPABILITIES = (READ, MODERATE, EDIT, EXPORT, MANAGE)

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset({READ, MODERATE, EDIT, EXPORT, MANAGE}),
    Role.ORGANISER: frozenset({READ, MODERATE, EDIT, EXPORT}),
    Role.MODERATOR: frozenset({READ, MODERATE}),
    Role.VIEWER: frozenset({READ}),
}


def roles_with(capability: str) -> list[str]:
    if capability not in CAPABILITIES:
        raise ValueError(f"Unknown capability {capability!r}")
    return [role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities]


def organisations_where(user, capability: str):
    """The organisations in which this user may do `capability` (a queryset, asked afresh)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=roles_with(capability)
    ).distinct()


def can(user, organisation, capability: str) -> bool:
    organisation_id = getattr(organisation, "pk", organisation)
    if user is None or not user.is_authenticated or not user.is_active or organisation_id is None:
        return False
    return Membership.objects.filter(
        organisation_id=organisation_id, user=user, role__in=roles_with(capability)
    ).exists()


def require(user, organisation, capability: str) -> None:
    """For actions: raise PermissionDenied unless the user may do this here."""
    if not can(user, organisation, capability):
        raise PermissionDenied(f"{capability} is not allowed here")


def capabilities_of(user, organisation) -> frozenset[str]:
    membership = Membership.objects.filter(organisation=organisation, user=user).first() if user.is_authenticated else None
    return ROLE_CAPABILITIES.get(membership.role, frozenset()) if membership else frozenset()
