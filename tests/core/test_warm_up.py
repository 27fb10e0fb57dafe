"""The web process's warm-up: what every thread's first request would otherwise build at once."""

from django.conf import settings
from django.urls import clear_url_caches, get_resolver


def test_the_url_tables_are_built_in_every_language_before_the_first_request():
    from groundswell.wsgi import warm_up

    clear_url_caches()
    warm_up()
    resolver = get_resolver()
    languages = {code for code, _name in settings.LANGUAGES}
    assert set(resolver._reverse_dict) == languages
    _prefix, petitions = resolver.namespace_dict["petitions"]
    assert set(petitions._reverse_dict) == languages  # each namespace's own tables too
