from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """The moderators' pages and actions: a feature above petitions, whose signatures it reviews.

    The checks every signature goes through (formguard, screening, rate limits) stay in the
    shared protection app below petitions.
    """

    name = "groundswell.moderation"
    label = "moderation"
    verbose_name = "Moderation"
