"""Which language a page is in, and the same page's address in the other languages.

The address says the language: English pages are at their plain address, Welsh ones under /cy/
(`i18n_patterns(..., prefix_default_language=False)` in groundswell/urls.py; Django's
LocaleMiddleware activates the language the address names). Two things Django does not do with
unprefixed English addresses are done here:

- **A first visit follows the browser.** A browser asking for Welsh first (Accept-Language) that
  opens a plain address for a page, with no language cookie yet, is sent to the /cy/ address of
  the same page. Only page requests (GET or HEAD that accept text/html) are redirected: open data
  and feeds answer at the address asked for.
- **A choice sticks.** Whenever such a browser (one that prefers a language other than English)
  is shown a page, the language cookie records the page's language, so after choosing "English"
  on a Welsh page the plain addresses stay English. Browsers that prefer English never get the
  cookie: nothing is ever redirected for them.

`path_in_language` is the one place that turns a page's address into another language's; the
language links and hreflang alternates in the base layout (`{% language_alternates %}`) use it.
"""

import re

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers

_PREFIX = re.compile(r"^/([\w@-]+)(?=/|$)")


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def bcp47(code: str) -> str:
    """A Django language code as HTML's lang and hreflang write it: en-gb -> en-GB, cy -> cy."""
    parts = code.split("-")
    return "-".join([parts[0].lower(), *(part.upper() if len(part) == 2 else part for part in parts[1:])])


def split_language(path: str) -> tuple[str | None, str]:
    """(language named by the address's prefix or None, the address without it)."""
    match = _PREFIX.match(path)
    if match and match.group(1).lower() in {code.lower() for code in language_codes()} and match.group(1).lower() != settings.LANGUAGE_CODE.lower():
        rest = path[match.end():] or "/"
        return match.group(1).lower(), rest
    return None, path


def path_in_language(path: str, language: str) -> str:
    """The same page's address (a path without the script prefix) in another language."""
    _current, rest = split_language(path)
    if language.lower() == settings.LANGUAGE_CODE.lower():
        return rest
    return f"/{language}{rest}"


def is_page_for_every_language(path: str) -> bool:
    """Whether this address (in the default language) is one of the pages with a Welsh twin."""
    other = next((code for code in language_codes() if code != settings.LANGUAGE_CODE), None)
    if other is None:
        return False
    with translation.override(other):
        return is_valid_path(path_in_language(path, other))


def _browser_language(request) -> str:
    """The supported language the browser asks for first (Accept-Language), ignoring the cookie."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for accept_lang, _q in translation.trans_real.parse_accept_lang_header(header):
        if accept_lang == "*":
            break
        try:
            return translation.get_supported_language_variant(accept_lang)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _is_page_request(request) -> bool:
    return request.method in ("GET", "HEAD") and "text/html" in request.META.get("HTTP_ACCEPT", "")


class FirstVisitLanguageMiddleware:
    """After LocaleMiddleware: send a Welsh browser's first visit to the Welsh page, and remember
    the language of the pages such a browser is shown (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        from_path, _rest = split_language(request.path_info)
        browser = _browser_language(request) if "HTTP_ACCEPT_LANGUAGE" in request.META else settings.LANGUAGE_CODE
        if (
            cookie is None
            and from_path is None
            and browser != settings.LANGUAGE_CODE
            and _is_page_request(request)
            and is_page_for_every_language(request.path_info)
        ):
            target = get_script_prefix().rstrip("/") + path_in_language(request.path_info, browser)
            query = request.META.get("QUERY_STRING", "")
            response = HttpResponseRedirect(target + (f"?{query}" if query else ""))
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response
        response = self.get_response(request)
        if from_path is None:
            patch_vary_headers(response, ("Cookie",))
        page_language = translation.get_language()
        if (
            browser != settings.LANGUAGE_CODE
            and cookie != page_language
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and (from_path is not None or is_page_for_every_language(request.path_info))
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                page_language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


# --- Content in two languages -----------------------------------------------------------------
# What organisers write (a petition's title, a campaign's summary…) has an English field and a
# Welsh one beside it, named <field>_cy. A page shows the one in its language and falls back to
# the other when that is blank, marking the fallback with its own `lang` (core/base.html's
# `{{ obj|local:"field" }}` filters in templatetags/languages.py).

WELSH = "cy"


def local_text(obj, field: str) -> tuple[str, str | None]:
    """(the text of obj.<field> in the active language, the lang of a fallback or None)."""
    english = getattr(obj, field, "") or ""
    welsh = getattr(obj, f"{field}_cy", "") or ""
    if (translation.get_language() or "").lower().startswith(WELSH):
        return (welsh, None) if welsh else (english, bcp47(settings.LANGUAGE_CODE))
    return (english, None) if english else (welsh, WELSH)
