from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running Groundswell in production: health, worker heartbeats, deploy checks, backups, logs."""

    name = "groundswell.operations"
    label = "operations"

    def ready(self):
        from groundswell.operations import checks  # noqa: F401  (registers the deploy checks)
