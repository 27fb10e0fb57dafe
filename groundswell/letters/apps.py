from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "groundswell.letters"
    label = "letters"

    def ready(self):
        # Registers its kinds of email (core/outbox.py) and the ledger target page's reply figures.
        from groundswell.letters import actions, queries  # noqa: F401
