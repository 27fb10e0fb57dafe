from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "groundswell.protection"
    label = "protection"
    verbose_name = "Protection against fake signatures"
