from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "groundswell.petitions"
    label = "petitions"
