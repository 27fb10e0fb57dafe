from django.apps import AppConfig


class SupportersConfig(AppConfig):
    name = "groundswell.supporters"
    label = "supporters"
