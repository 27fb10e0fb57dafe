from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "groundswell.ledger"
    verbose_name = "Accountability ledger"

    def ready(self):
        from groundswell.ledger import actions  # noqa: F401  (registers its kinds of email with core/outbox.py)
