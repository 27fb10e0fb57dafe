"""Building the emails supporters receive about their signatures; the outbox sends them."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext

from groundswell.core.i18n import local_text
from groundswell.petitions.models import Signature

from groundswell.petitions.tokens import CONFIRMATION_LINK

SIGNATURE_EMAIL = "petitions.signature"
TEXT_CHANGED_EMAIL = "petitions.text_changed"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def build_signature_email(signature: Signature) -> EmailMultiAlternatives:
    """The confirmation request, or, if the signature is already confirmed, a note saying so.

    Someone who signs again gets an email either way, and the web page they see is the same
    either way, so the site never reveals whether an address has signed a petition.
    """
    petition = signature.petition
    context = {
        "signature": signature,
        "petition": petition,
        "petition_title": local_text(petition, "title")[0],
        "petition_url": _absolute(reverse("petitions:detail", args=[petition.slug])),
        "confirmation_days": settings.SIGNATURE_CONFIRMATION_DAYS,
    }
    if signature.confirmed_at is None:
        token = CONFIRMATION_LINK.make(signature.public_id)
        context["confirm_url"] = _absolute(reverse("petitions:confirm", args=[petition.slug, token]))
        template = "petitions/emails/confirm"
        subject = gettext("Please confirm your signature: %(title)s") % {"title": context["petition_title"]}
    else:
        template = "petitions/emails/already_signed"
        subject = gettext("You have already signed: %(title)s") % {"title": context["petition_title"]}
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # a title can never add a header line
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[signature.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message



def build_text_changed_email(signature: Signature, version_number) -> EmailMultiAlternatives | None:
    """"The petition you signed has changed": what it asked when they signed, what it asks now,
    and a link to the versions page. Only to signers who opted in to hear from the campaign."""
    petition = signature.petition
    versions = {v.number: v for v in petition.versions.all()}
    new = versions.get(version_number)
    if new is None:
        return None
    context = {
        "signature": signature,
        "petition": petition,
        "signed": signature.version,
        "new": new,
        "petition_url": _absolute(reverse("petitions:detail", args=[petition.slug])),
        "versions_url": _absolute(reverse("petitions:versions", args=[petition.slug])),
    }
    subject = _("The petition you signed has changed: %(title)s") % {"title": petition.title}
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("petitions/emails/text_changed.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[signature.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("petitions/emails/text_changed.html", context), "text/html")
    return message
