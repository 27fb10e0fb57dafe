from django.apps import AppConfig


class HandinConfig(AppConfig):
    name = "groundswell.handin"
    label = "handin"

    def ready(self):
        # Registers its kinds of email (core/outbox.py), and listens for petitions' counts going
        # up (petitions/hooks.py) to check thresholds once each confirmation has committed.
        from groundswell.handin import actions
        from groundswell.petitions import hooks

        hooks.on_counts_went_up(actions.check_thresholds_after_count_went_up)
