from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "groundswell.ledger"
    verbose_name = "Accountability ledger"
