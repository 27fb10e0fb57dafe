"""UK geography, versioned: boundary sets, constituencies, their members (MPs), postcode lookup.

MapIt's idea of generations: every import builds a new `BoundarySet`, inactive, beside the one
in use; one short transaction then switches it on and the old one off. Lookups answer from the
active set throughout, and a boundary review never breaks old petitions' counts, which name
constituencies by their ONS code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BoundarySet(models.Model):
    name = models.CharField(max_length=100, help_text=_("e.g. “Westminster 2024”"))
    is_active = models.BooleanField(default=False)
    attribution = models.TextField(blank=True, help_text=_("The data's licences and attribution, one per line."))
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True), name="one_active_boundary_set"),
        ]

    def __str__(self):
        return f"{self.name}{' (active)' if self.is_active else ''}"


class Constituency(models.Model):
    class Nation(models.TextChoices):
        ENGLAND = "England"
        SCOTLAND = "Scotland"
        WALES = "Wales"
        NORTHERN_IRELAND = "Northern Ireland"

    boundary_set = models.ForeignKey(BoundarySet, on_delete=models.CASCADE, related_name="constituencies")
    gss_code = models.CharField(max_length=9, help_text=_("ONS code, e.g. E14001063"))
    name = models.CharField(max_length=100)
    name_cy = models.CharField(max_length=100, blank=True, help_text=_("Welsh name (Wales only)"))
    nation = models.CharField(max_length=20, choices=Nation.choices)
    region_code = models.CharField(max_length=9, blank=True)
    hex_q = models.IntegerField(null=True, blank=True)
    hex_r = models.IntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "constituencies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["boundary_set", "gss_code"], name="one_constituency_per_code_per_set"),
        ]

    def __str__(self):
        return self.name


class Member(models.Model):
    """A Member of Parliament for a constituency; `is_current` marks the sitting one."""

    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=150)
    party = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True, help_text=_("The member's parliamentary address"))
    parliament_member_id = models.PositiveIntegerField(null=True, blank=True, help_text=_("UK Parliament Members API id"))
    is_current = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["constituency"], condition=models.Q(is_current=True), name="one_current_member_per_constituency"),
        ]

    def __str__(self):
        return self.name


class Postcode(models.Model):
    """One postcode of a boundary set, stored compactly ("GU27XX": no space, upper case).

    1.7 million rows a set, so no surrogate id: the (boundary set, postcode) primary key is the
    index lookups use, and the row holds only a small integer besides.
    """

    pk = models.CompositePrimaryKey("boundary_set", "postcode")
    # DO_NOTHING: the importer deletes a set's postcodes with one SQL statement; Django's
    # cascade would load 1.7 million rows into memory first.
    boundary_set = models.ForeignKey(BoundarySet, on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    postcode = models.CharField(max_length=7)
    constituency = models.ForeignKey(
        Constituency, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )

    def __str__(self):
        return self.postcode
