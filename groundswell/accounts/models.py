"""Organisations (coalitions) and the organisers who belong to them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groundswell.core.slugs import slug_not_empty


class Organisation(models.Model):
    """A coalition or group that runs campaigns. Everything an organiser can see hangs off one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    # Public bodies in Wales work in both languages: a petition then needs its Welsh text to open.
    works_bilingually = models.BooleanField(
        _("Works in Welsh and English"), default=False,
        help_text=_("Every petition needs its Welsh title, ask and reasons before it can be opened."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    two_step_required = models.BooleanField(
        _("Everyone in the team must use two-step login"),
        default=False,
        help_text=_("Each member gives a code from an authenticator app after their password."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [slug_not_empty("organisation_slug_not_empty")]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    """What a member may do is decided in one place: accounts/permissions.py."""

    OWNER = "owner", _("Owner (manages the team and settings)")
    ORGANISER = "organiser", _("Organiser (runs campaigns and petitions, exports supporters)")
    MODERATOR = "moderator", _("Moderator (reviews signatures)")
    VIEWER = "viewer", _("Viewer (reads, changes nothing)")


class Membership(models.Model):
    """A user's role in an organisation. Roles are nested: an owner can do what an organiser can."""

    Role = Role

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ORGANISER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_user_per_organisation")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) in {self.organisation}"

    @property
    def can_edit_campaigns(self) -> bool:
        return self.role in {self.Role.OWNER, self.Role.ORGANISER}


class Invitation(models.Model):
    """An owner's invitation to join the team with a role, sent by email.

    The emailed link carries only `public_id`, signed and timestamped (accounts/tokens.py, the one
    signed-link mechanism); the row says whether it is still good (not accepted, not withdrawn,
    not past `expires_at`)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation of {self.email} to {self.organisation} as {self.role}"

    def is_pending(self, now) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > now


class TeamEvent(models.Model):
    """The team's log: who was invited, joined, changed role or left, and who did it."""

    class Kind(models.TextChoices):
        INVITED = "invited", _("Invited")
        INVITATION_WITHDRAWN = "invitation_withdrawn", _("Invitation withdrawn")
        JOINED = "joined", _("Joined")
        ROLE_CHANGED = "role_changed", _("Role changed")
        REMOVED = "removed", _("Removed")
        LEFT = "left", _("Left")
        SETTINGS_CHANGED = "settings_changed", _("Settings changed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="team_events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    email = models.CharField(max_length=254, blank=True, help_text="The member's address at the time.")
    old_role = models.CharField(max_length=20, blank=True)
    new_role = models.CharField(max_length=20, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_email = models.CharField(max_length=254, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
