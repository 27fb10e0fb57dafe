"""Organisations' webhook endpoints, and the deliveries queued for them (an outbox, as email's).

An endpoint belongs to an organisation by its id only: webhooks is a shared app beside accounts,
so it names no other app (docs/architecture.md); the pages that manage endpoints are the API
app's, above both."""

from django.db import models
from django.utils import timezone


class Endpoint(models.Model):
    organisation_id = models.PositiveIntegerField(db_index=True)
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text="Event names this endpoint receives (webhooks.events).")
    # Standard Webhooks: "whsec_" + base64 of the key. Kept to sign; shown to the owner once.
    secret = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    created_by_email = models.CharField(max_length=254, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True, help_text="The first failure since the last success.")
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.url


class Delivery(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        DELIVERED = "delivered", "Delivered"
        GAVE_UP = "gave_up", "Gave up"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=40, unique=True)  # webhook-id: the same on every retry
    event = models.CharField(max_length=60)
    body = models.TextField(help_text="The JSON sent, exactly as signed.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["due_at"], condition=models.Q(state="queued"), name="webhook_deliveries_due")]


class Attempt(models.Model):
    """One try at a delivery, with the receiver's answer (its first 2,000 characters)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-pk"]


class PauseNotice(models.Model):
    """The email telling an owner their endpoint was paused: the outbox row names this."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now)
