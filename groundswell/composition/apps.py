from django.apps import AppConfig


class CompositionConfig(AppConfig):
    """The app that composes the others: the housekeeping schedule, the worker, the demo loader,
    the home page and the `serve` command. Only it may import every app (docs/architecture.md)."""

    name = "groundswell.composition"
    label = "composition"
