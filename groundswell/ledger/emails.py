"""The organisers' ledger digest; the outbox (core/outbox.py) sends it, one to each organiser."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from groundswell.accounts.models import Membership
from groundswell.ledger import tokens
from groundswell.ledger.models import Reminder

DIGEST = "ledger.digest"


def organisers_of(organisation_id: int) -> list[tuple[int, str]]:
    """(user id, address) of the organisation's owners and organisers who can be emailed."""
    memberships = Membership.objects.filter(
        organisation_id=organisation_id, role__in=[Membership.Role.OWNER, Membership.Role.ORGANISER]
    ).select_related("user")
    return sorted({(m.user_id, m.user.email) for m in memberships if m.user.email and m.user.is_active})


def build_digest(organisation, reminders, *, user_id: int) -> EmailMultiAlternatives | None:
    """One email listing what is overdue and who is silent; None if nothing is still due."""
    today = timezone.localdate()
    overdue, silent = [], []
    for reminder in reminders:
        if reminder.kind == Reminder.Kind.OVERDUE_COMMITMENT and reminder.commitment.is_overdue(today):
            commitment = reminder.commitment
            overdue.append({
                "target": commitment.response.ask.target,
                "promise": commitment.promise,
                "due_on": commitment.due_on,
                "days": (today - commitment.due_on).days,
                "url": settings.SITE_URL + reverse("ledger:organise_target", args=[commitment.response.ask.target_id]),
            })
        elif reminder.kind == Reminder.Kind.SILENT_TARGET and not reminder.ask.responses.exists():
            ask = reminder.ask
            silent.append({
                "target": ask.target,
                "asked_on": ask.asked_on,
                "days": (today - ask.asked_on).days,
                "url": settings.SITE_URL + reverse("ledger:organise_target", args=[ask.target_id]),
            })
    recipients = [address for member, address in organisers_of(organisation.pk) if member == user_id]
    if not (overdue or silent) or not recipients:
        return None
    context = {"organisation": organisation, "overdue": overdue, "silent": silent,
               "ledger_url": settings.SITE_URL + reverse("ledger:organise")}
    parts = []
    if overdue:
        parts.append(ngettext("%(count)s overdue commitment", "%(count)s overdue commitments", len(overdue)) % {"count": len(overdue)})
    if silent:
        parts.append(ngettext("%(count)s target not answering", "%(count)s targets not answering", len(silent)) % {"count": len(silent)})
    message = EmailMultiAlternatives(
        subject=gettext("Ledger: %(summary)s") % {"summary": gettext(" and ").join(parts)},
        body=render_to_string("ledger/emails/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("ledger/emails/digest.html", context), "text/html")
    return message


# --- Asks sent from the platform (registered with the outbox in actions.py) -----------------
# From the platform, Reply-To the ask's own address (tokens.reply_address), with the private
# answer link; every chaser and the internal-review request go the same way.

ASK = "ledger.ask"
CHASER = "ledger.chaser"
INTERNAL_REVIEW = "ledger.internal_review"


def _one_line(text: str) -> str:
    return " ".join(str(text or "").replace("\x00", " ").split())


def _asker(ask) -> str:
    user = ask.sent_by
    name = (user.get_full_name() or "").strip() if user else ""
    return name


def build_ask_email(ask, *, kind: str, number: int = 0, support_lines=()) -> EmailMultiAlternatives | None:
    target = ask.target
    if not target.contact_email:
        return None
    token = tokens.ANSWER_LINK.make(ask.public_id)
    answer_url = settings.SITE_URL + reverse("ledger:answer", args=[token])
    public_url = (
        settings.SITE_URL + reverse("ledger:target", args=[ask.campaign.slug, target.pk])
        if ask.campaign.is_public and target.is_public else ""
    )
    today = timezone.localdate()
    context = {
        "ask": ask, "target": target, "campaign": ask.campaign, "organisation": ask.campaign.organisation,
        "asker": _asker(ask), "answer_url": answer_url, "public_url": public_url, "number": number,
        "support_lines": list(support_lines), "link_days": settings.LEDGER_ANSWER_LINK_DAYS,
        "scottish": target.nation == "SCT", "overdue": bool(ask.due_on and ask.due_on < today),
    }
    subject = ask.subject or ask.campaign.title
    if kind == CHASER:
        subject = f"Reminder {number}: {subject}"
        template = "ledger/emails/chaser.txt"
    elif kind == INTERNAL_REVIEW:
        subject = f"Request for an internal review: {subject}"
        template = "ledger/emails/internal_review.txt"
    else:
        template = "ledger/emails/ask.txt"
    return EmailMultiAlternatives(
        subject=_one_line(subject)[:200],
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[target.contact_email],
        reply_to=[tokens.reply_address(ask.pk)],
    )
