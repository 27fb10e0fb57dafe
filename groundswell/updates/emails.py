"""Building update emails; the outbox (core/outbox.py) sends them.

The organiser writes Markdown. It is rendered by markdown-it-py (CommonMark, raw HTML off) and
the result is cleaned by nh3 (the Rust ammonia sanitiser) with a short allow-list of tags and
only http, https and mailto links, so nothing an organiser types can run in a mail program. The
plain-text part is the Markdown itself, which reads well as text.

Merge fields ({first_name}, {constituency}, {mp_name}) are filled per person after rendering,
escaped for the HTML part; a missing value gets a safe default ("friend", "your constituency",
"your MP"). Everything else in the email is the same for every recipient, so it is rendered once
per update and process (`_shell`), and each message is a few string substitutions: that is what
lets one worker build hundreds of messages a second.

No tracking: no pixel, no rewritten links, no per-person link but the unsubscribe one.
"""

import functools
import re
from email.utils import formataddr, parseaddr

import nh3
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy as _
from markdown_it import MarkdownIt

from groundswell.updates import calls_to_action, tokens

UPDATE = "updates.update"
TEST = "updates.test"

MERGE_FIELDS = {
    "first_name": _("friend"),
    "constituency": _("your constituency"),
    "mp_name": _("your MP"),
}
MERGE_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_UNSUBSCRIBE_PLACEHOLDER = "\x00unsubscribe\x00"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "strong", "em", "b", "i", "s", "del", "a", "ul", "ol", "li",
    "blockquote", "code", "pre",
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
_markdown_with_html = MarkdownIt("commonmark", {"html": True})


def one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text or "").split())


def unknown_merge_fields(text: str) -> list[str]:
    return sorted({name for name in MERGE_FIELD.findall(text or "") if name not in MERGE_FIELDS})


def raw_html_in(text: str) -> bool:
    """Whether the Markdown holds HTML (a <script>, an onclick=…): we refuse it rather than
    quietly dropping it, so the organiser knows what will be sent."""
    for token in _markdown_with_html.parse(text or ""):
        if token.type == "html_block":
            return True
        if token.type == "inline" and any(child.type == "html_inline" for child in token.children or []):
            return True
    return False


def links_in(text: str) -> list[str]:
    found = []
    for token in _markdown.parse(text or ""):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(child.attrGet("href") or "")
    return found


def unsafe_links(text: str) -> list[str]:
    """Links markdown-it refused to make (javascript:, data: …) stay as text; links with another
    scheme than http, https or mailto are refused by the form."""
    bad = []
    for match in re.finditer(r"\]\(\s*<?([^)\s>]*)", text or ""):
        target = match.group(1)
        scheme = target.split(":", 1)[0].lower() if ":" in target else ""
        if scheme and scheme not in ALLOWED_SCHEMES:
            bad.append(target)
    return bad


@functools.lru_cache(maxsize=64)
def render_markdown(text: str) -> str:
    html = _markdown.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def fill(template: str, values: dict, *, html: bool) -> str:
    def value(match):
        name = match.group(1)
        if name not in MERGE_FIELDS:
            return match.group(0)
        text = values.get(name) or str(MERGE_FIELDS[name])
        return escape(text) if html else text

    return MERGE_FIELD.sub(value, template)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(public_id) -> str:
    return _absolute(reverse("updates:unsubscribe", args=[tokens.UNSUBSCRIBE_LINK.make(public_id)]))


def one_click_url(public_id) -> str:
    return _absolute(reverse("updates:one_click", args=[tokens.UNSUBSCRIBE_LINK.make(public_id)]))


@functools.lru_cache(maxsize=16)
def _shell(update_id: int, version: str, update) -> tuple[str, str, str]:
    """(subject, text, html) of an update with the merge fields and the unsubscribe link left to
    fill: the same for every recipient, rendered once per update version and process."""
    cta = calls_to_action.resolve(update.organisation, update.call_to_action) if update.call_to_action else None
    context = {
        "update": update,
        "organisation": update.organisation,
        "campaign": update.campaign,
        "body_html": mark_safe(render_markdown(update.body_markdown)),
        "body_text": update.body_markdown,
        "cta": cta,
        "unsubscribe_url": _UNSUBSCRIBE_PLACEHOLDER,
    }
    text = render_to_string("updates/emails/update.txt", context)
    html = render_to_string("updates/emails/update.html", context)
    return one_line(update.subject), text, html


def shell(update) -> tuple[str, str, str]:
    return _shell(update.pk, f"{update.pk}:{update.updated_at.timestamp() if update.updated_at else 0}", update)


def reply_to_for(update) -> list[str]:
    try:
        address = update.organisation.updates_settings.reply_to
    except Exception:  # no settings row: replies go to the site's own address
        address = ""
    return [address] if address else []


def build_update_email(update, *, to: str, values: dict, public_id, subject_prefix: str = "") -> EmailMultiAlternatives:
    subject, text, html = shell(update)
    token = tokens.UNSUBSCRIBE_LINK.make(public_id)  # signed once: both links carry it
    link = _absolute(reverse("updates:unsubscribe", args=[token]))
    one_click = _absolute(reverse("updates:one_click", args=[token]))
    text = fill(text, values, html=False).replace(_UNSUBSCRIBE_PLACEHOLDER, link)
    html = fill(html, values, html=True).replace(_UNSUBSCRIBE_PLACEHOLDER, escape(link))
    from_address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    message = EmailMultiAlternatives(
        subject=one_line(subject_prefix + fill(subject, values, html=False)),
        body=text,
        from_email=formataddr((one_line(update.organisation.name), from_address)),
        to=[to],
        reply_to=reply_to_for(update),
        headers={
            # RFC 2369 and RFC 8058: mail programs show an "Unsubscribe" button that POSTs here.
            "List-Unsubscribe": f"<{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{one_line(update.organisation.name)} <{update.organisation.slug}.updates.{from_address.rpartition('@')[2] or 'localhost'}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def values_for(consent, directory: dict) -> dict:
    """The merge values for one person: empty where unknown (fill() puts the safe default)."""
    place = directory.get(consent.constituency_code) if consent.constituency_code else None
    mp = (place or {}).get("mp") or {}
    return {"first_name": consent.first_name, "constituency": (place or {}).get("name", ""), "mp_name": mp.get("name", "")}


def sample_values(user) -> dict:
    """For previews and test sends: the organiser's first name, and the defaults."""
    return {"first_name": getattr(user, "first_name", "") or "", "constituency": "", "mp_name": ""}


def preview_subject_prefix() -> str:
    return gettext("[Test] ")
