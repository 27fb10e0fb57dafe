from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "groundswell.letters"
    label = "letters"

    def ready(self):
        from groundswell.letters import actions  # noqa: F401  (registers its kinds of email with core/outbox.py)
