"""The description, Open Graph and Twitter card tags of a public page.

A link shared in a chat app, a social network or an email client shows what these tags say: the
page's title, a sentence about it and the site's name. Without them people see a bare address
and are less likely to open it. Only public pages use `{% share_meta %}`; pages behind a token
(confirmation links) or a login have none, so nothing about them is offered for a preview.

No share image: drawing one (the title and count on a PNG) would need a font for every script
a title can be written in and a new imaging dependency, and social sites keep a copy for days,
so the count on it would soon be wrong. The summary card shows the title and description.
"""

import html
import re

from django import template
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.translation import get_language, to_locale

register = template.Library()

SITE_NAME = "Groundswell"
# Most previews show about this much; longer text is cut at a word, with an ellipsis.
DESCRIPTION_MAX_CHARS = 200


def describe(text: str, limit: int = DESCRIPTION_MAX_CHARS) -> str:
    """Text made fit for a description: on one line, cut at a word boundary if too long.

    Escaping is left to the template (autoescape), after cutting, so no entity is cut in half.
    Text already escaped (marked safe, as `{% translate … as var %}` and `{% blocktranslate
    asvar … %}` give) is turned back into plain text first, so it is escaped exactly once.
    """
    if isinstance(text, SafeData):
        text = html.unescape(strip_tags(text))
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


@register.inclusion_tag("core/share_meta.html", takes_context=True)
def share_meta(context, *, title, description="", path=None):
    """Tags for this page; its address is SITE_URL plus the page's path (never the query,
    which would differ between visitors of one cached page)."""
    request = context.get("request")
    path = path or (request.path if request is not None else "/")
    return {
        "meta_title": describe(title, 150),
        "meta_description": describe(description),
        "meta_url": f"{settings.SITE_URL}{path}",
        "meta_site_name": SITE_NAME,
        "meta_locale": to_locale(get_language() or settings.LANGUAGE_CODE),
    }
