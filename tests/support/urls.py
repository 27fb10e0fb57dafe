"""Every URL pattern of the site, from Django's URL resolver, each filled in to a path that resolves.

Sweeps over the whole site (two-step login on every page, CSRF on every POST) use this, so that a
page added later is checked without anyone remembering to list it. A pattern whose arguments
cannot be filled fails the sweep, asking for a sample value, rather than being skipped.
"""

import re
import uuid

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404

# Stand-in values for the arguments of URL patterns, by converter; regex groups try each in turn.
CONVERTER_SAMPLES = {"int": "1", "slug": "x", "str": "x", "path": "1", "uuid": str(uuid.UUID(int=1))}
REGEX_SAMPLES = ["1", "x", *sorted({model._meta.app_label for model in admin.site._registry})]


def _join(route1: str, route2: str) -> str:
    """Join two levels of a route the way Django's resolver does (ResolverMatch.route)."""
    return route1 + route2.removeprefix("^") if route1 else route2


def leaf_patterns(patterns=None, route="", namespaces=()):
    """(route, pattern, view name or None) for every URL pattern, however deeply included."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        full = _join(route, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from leaf_patterns(pattern.url_patterns, full, inner)
        elif isinstance(pattern, URLPattern):
            yield full, pattern, ":".join((*namespaces, pattern.name)) if pattern.name else None


def has_arguments(route: str) -> bool:
    return "<" in route or "(" in route


def _fill_regex_groups(route: str, value: str) -> str:
    """Replace each group, named or not and however nested its brackets, with a sample value."""
    out, i = [], 0
    while (start := route.find("(", i)) != -1:
        out.append(route[i:start])
        depth, j = 0, start
        while True:
            if route[j] == "\\":
                j += 2
                continue
            depth += {"(": 1, ")": -1}.get(route[j], 0)
            j += 1
            if depth == 0:
                break
        out.append(value)
        i = j
    out.append(route[i:])
    return "".join(out)


def _stand_in_paths(route: str):
    filled = re.sub(r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_SAMPLES[m.group(1) or "str"], route)
    if "(" not in filled and "^" not in filled and "$" not in filled:
        yield "/" + filled
        return
    for value in REGEX_SAMPLES:
        yield "/" + _fill_regex_groups(filled, value).replace("^", "").replace("$", "").replace("\\", "")


def _resolves_to(path: str, route: str, pattern) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name if match.func is pattern.callback and match.route == route else None


def every_page(samples: dict | None = None, *, stand_ins=lambda name: True, where: str = "the sample values") -> list:
    """(path, url name) for every URL pattern, each path resolving back to its own pattern.

    samples: {url name: {argument: value}} for patterns filled with real objects. Other patterns
    with arguments get stand-in values ("1", "x", an app label) when stand_ins(url name) is true;
    otherwise, or when no stand-in resolves, the call fails naming the pattern, so that a new URL
    cannot silently escape the sweep. `where` tells the reader where to add a sample.
    """
    samples = samples or {}
    pages, unfilled = [], []
    for route, pattern, name in leaf_patterns():
        if name in samples:
            try:
                paths = [reverse(name, kwargs=samples[name])]
            except NoReverseMatch:
                paths = []
        elif not has_arguments(route) or stand_ins(name):
            paths = _stand_in_paths(route)
        else:
            paths = []
        for path in paths:
            if view_name := _resolves_to(path, route, pattern):
                pages.append((path, view_name))
                break
        else:
            unfilled.append(f"{name} ({route})")
    assert not unfilled, f"No sample path for these URL patterns: add sample values to {where}: {unfilled}"
    assert len(pages) > 50  # the walk found the site, admin included
    return pages
