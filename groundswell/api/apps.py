from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "groundswell.api"
    label = "api"

    def ready(self):
        # Tells webhooks (a shared app, which may not import accounts) who owns an organisation,
        # and supporters' own-data pages what tags hold about them.
        from groundswell.api import registrations  # noqa: F401
