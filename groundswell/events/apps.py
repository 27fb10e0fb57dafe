from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "groundswell.events"
    label = "events"

    def ready(self):
        # Registers its kinds of email (core/outbox.py), its personal data (supporters) and the
        # ledger target page's section on events held for a promise.
        from groundswell.events import actions, queries  # noqa: F401
