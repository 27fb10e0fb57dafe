from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "groundswell.updates"
    label = "updates"

    def ready(self):
        # Registers its kinds of email (core/outbox.py), its personal data
        # (supporters/personal_data.py), the consent hook on confirming a signature
        # (petitions.actions.ON_CONFIRMED) and the calls to action it offers.
        from groundswell.updates import actions, calls_to_action  # noqa: F401
