from django.apps import AppConfig


class CompositionConfig(AppConfig):
    """The app that composes the others: the housekeeping schedule, the worker, the demo loader,
    the home page and the `serve` command. Only it may import every app (docs/architecture.md)."""

    name = "groundswell.composition"
    label = "composition"

    def ready(self):
        from groundswell.composition.ledger_support import ask_support_lines
        from groundswell.ledger.queries import ASK_SUPPORT_LINES

        if ask_support_lines not in ASK_SUPPORT_LINES:
            ASK_SUPPORT_LINES.append(ask_support_lines)
