"""Organisations (coalitions) and the organisers who belong to them."""

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

    class Meta:
        ordering = ["name"]
        constraints = [slug_not_empty("organisation_slug_not_empty")]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's role in an organisation. Roles are nested: an owner can do what an organiser can."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner (manages organisers)")
        ORGANISER = "organiser", _("Organiser (runs campaigns and petitions)")
        MODERATOR = "moderator", _("Moderator (reviews signatures)")

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
