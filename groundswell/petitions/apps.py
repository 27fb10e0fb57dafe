from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "groundswell.petitions"
    label = "petitions"

    def ready(self):
        from groundswell.petitions import actions  # noqa: F401  (registers its kinds of email with core/outbox.py)
