from django.apps import AppConfig


class SupportersConfig(AppConfig):
    name = "groundswell.supporters"
    label = "supporters"

    def ready(self):
        from groundswell.supporters import actions  # noqa: F401  (registers its kinds of email with core/outbox.py)
