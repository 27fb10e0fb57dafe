"""API tokens (per organisation, scoped, revocable, stored hashed) and organisers' tags."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groundswell.accounts.models import Organisation


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell tokens apart; not enough to use it.")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class Tag(models.Model):
    """An organisation's label for people (OSDI tags), applied with taggings."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="one_tag_name_per_organisation")]


class Tagging(models.Model):
    """A tag on a person, who is known by their normalised address (as the own-data pages know them)."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="taggings")
    email_normalised = models.CharField(max_length=254, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "email_normalised"], name="one_tagging_per_tag_and_person")]
