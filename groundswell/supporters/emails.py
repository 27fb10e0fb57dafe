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


def load_data_links(ids: list[int]) -> dict[int, DataLink]:
    """A batch's data links, each told whether anything is held about its address (asked once
    for the batch: the email says "we hold nothing" when nothing is)."""
    links = DataLink.objects.in_bulk(ids)
    holding = personal_data.addresses_holding(link.email_normalised for link in links.values())
    for link in links.values():
        link.holds_data = link.email_normalised in holding
    return links


def build_data_link_email(link: DataLink, *, holds_data: bool) -> EmailMultiAlternatives:
    context = {
        "link": f"{settings.SITE_URL}{reverse('supporters:my_data', args=[make_data_token(link)])}",
        "holds_data": holds_data,
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
