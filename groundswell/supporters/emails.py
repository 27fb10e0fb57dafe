"""The email with a link to a supporter's own data; the outbox (core/outbox.py) sends it."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from groundswell.supporters import personal_data
from groundswell.supporters.models import DataLink
from groundswell.supporters.tokens import make_data_token

DATA_LINK = "supporters.data_link"


def build_data_link_email(link: DataLink) -> EmailMultiAlternatives:
    context = {
        "link": f"{settings.SITE_URL}{reverse('supporters:my_data', args=[make_data_token(link)])}",
        "holds_data": personal_data.holds_anything(link.email_normalised),
        "hours": settings.SUPPORTER_DATA_LINK_HOURS,
    }
    message = EmailMultiAlternatives(
        subject=gettext("Your data on Groundswell"),
        body=render_to_string("supporters/emails/data_link.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[link.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("supporters/emails/data_link.html", context), "text/html")
    return message
