from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "groundswell.accounts"
    label = "accounts"

    def ready(self):
        from groundswell.accounts import actions  # noqa: F401  (registers its kinds of email with core/outbox.py)
