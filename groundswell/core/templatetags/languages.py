"""The page's language for `<html lang>`, and its address in every language (the language link
and the hreflang alternates in core/base.html). Addresses come from core/i18n.py."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils import translation

from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html

from groundswell.core.i18n import bcp47, local_text, path_in_language

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    """The active language as HTML writes it (en-GB, cy)."""
    return bcp47(translation.get_language() or settings.LANGUAGE_CODE)


@register.simple_tag
def language_name(code: str) -> str:
    """A language's name in itself (English, Cymraeg), or "" for none recorded."""
    return dict(settings.LANGUAGES).get(code or "", "")


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[dict]:
    """This page in each language: code, hreflang, its own name for itself, path, absolute URL,
    and whether it is the language shown. From the path alone, never the query, because the
    page may be cached for everyone."""
    request = context.get("request")
    path = request.path_info if request is not None else "/"
    current = (translation.get_language() or settings.LANGUAGE_CODE).lower()
    alternates = []
    for code, name in settings.LANGUAGES:
        target = get_script_prefix().rstrip("/") + path_in_language(path, code)
        alternates.append(
            {
                "code": code,
                "hreflang": bcp47(code),
                "name": name,
                "path": target,
                "url": f"{settings.SITE_URL}{target}",
                "current": code.lower() == current,
                "default": code == settings.LANGUAGE_CODE,
            }
        )
    return alternates


@register.filter
def local(obj, field: str):
    """obj.<field> in the page's language; a fallback to the other language is wrapped in a
    span with its lang, so screen readers pronounce it right: {{ petition|local:"title" }}."""
    text, fallback = local_text(obj, field)
    return format_html('<span lang="{}">{}</span>', fallback, text) if fallback else text


@register.filter
def local_plain(obj, field: str) -> str:
    """The same text without markup, for <title>, attributes and meta tags."""
    return local_text(obj, field)[0]


@register.filter
def local_paragraphs(obj, field: str):
    """Paragraphs of obj.<field> (like |linebreaks), in a div with its lang when a fallback."""
    text, fallback = local_text(obj, field)
    paragraphs = linebreaks_filter(text, autoescape=True)
    return format_html('<div lang="{}">{}</div>', fallback, paragraphs) if fallback else paragraphs
