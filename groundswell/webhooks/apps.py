from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "groundswell.webhooks"
    label = "webhooks"

    def ready(self):
        from groundswell.webhooks import actions  # noqa: F401  (registers its kind of email with core/outbox.py)
