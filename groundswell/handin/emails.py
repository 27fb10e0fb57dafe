"""Emails when a petition reaches a threshold: to its organisers, and (if chosen) to signers who
asked for news. Built when sent (core/outbox.py)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from groundswell.handin.models import Crossing

REACHED_ORGANISERS = "handin.threshold_reached"
REACHED_SIGNERS = "handin.threshold_reached_signer"


def _message(subject, template, context, to) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def build_reached_for_organiser(crossing: Crossing, *, user_id) -> EmailMultiAlternatives | None:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return None
    threshold = crossing.threshold
    petition = threshold.petition
    context = {
        "crossing": crossing, "threshold": threshold, "petition": petition,
        "pack_url": f"{settings.SITE_URL}{reverse('handin:pack', args=[petition.pk, threshold.target_id])}",
        "ledger_url": f"{settings.SITE_URL}{reverse('ledger:organise_target', args=[threshold.target_id])}",
    }
    subject = _("“%(title)s” reached %(count)s signatures: hand it to %(target)s") % {
        "title": petition.title, "count": f"{threshold.signatures:,}", "target": threshold.target.name,
    }
    return _message(subject, "handin/emails/reached_organiser", context, user.email)


def build_reached_for_signer(signature, *, crossing_id) -> EmailMultiAlternatives | None:
    crossing = Crossing.objects.select_related("threshold__target").filter(pk=crossing_id).first()
    if crossing is None:
        return None
    petition = signature.petition
    context = {
        "signature": signature, "crossing": crossing, "threshold": crossing.threshold, "petition": petition,
        "petition_url": f"{settings.SITE_URL}{reverse('petitions:detail', args=[petition.slug])}",
    }
    subject = _("The petition you signed reached %(count)s signatures") % {"count": f"{crossing.threshold.signatures:,}"}
    return _message(subject, "handin/emails/reached_signer", context, signature.email)
