"""The email with a link to a supporter's own data. Only tasks send it."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from groundswell.petitions.models import Signature
from groundswell.supporters.email_addresses import normalise_email
from groundswell.supporters.tokens import make_data_token


def build_data_link_email(email: str) -> EmailMultiAlternatives:
    email_normalised = normalise_email(email)
    token = make_data_token(email_normalised)
    context = {
        "link": f"{settings.SITE_URL}{reverse('supporters:my_data', args=[token])}",
        "holds_data": Signature.objects.filter(email_normalised=email_normalised).exists(),
        "hours": settings.SUPPORTER_DATA_LINK_HOURS,
    }
    message = EmailMultiAlternatives(
        subject="Your data on Groundswell",
        body=render_to_string("supporters/emails/data_link.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("supporters/emails/data_link.html", context), "text/html")
    return message
