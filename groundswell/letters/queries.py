"""Reads for letters: who a letter goes to, whether it is near-identical, the public figures."""

import math
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import Count, Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from groundswell.geography.queries import constituency_by_code, current_member, lookup_postcode
from groundswell.ledger import queries as ledger_queries
from groundswell.letters import fingerprints
from groundswell.letters.errors import LettersPaused, NoRecipient
from groundswell.letters.models import Contact, Letter, LetterAction

MP_PAUSED_MESSAGE = _(
    "Letters to MPs are paused during the election period: there are no MPs until the new "
    "Parliament meets. Please come back after the election."
)


@dataclass(frozen=True)
class Recipient:
    """Who a letter goes to, before any row is written (the preview stores nothing)."""

    key: str
    name: str
    email: str
    constituency_code: str = ""
    constituency_name: str = ""
    target_id: int | None = None

    @property
    def description(self) -> str:
        if self.constituency_name:
            return _("%(name)s, MP for %(constituency)s") % {"name": self.name, "constituency": self.constituency_name}
        return self.name


# Demonstration campaigns use real MPs' names (from the geography pack) but must write to no one:
# their letters go to made-up addresses in a domain that can never exist (RFC 2606 ".invalid").
DEMO_EMAIL_DOMAIN = "demo.groundswell.invalid"


def demo_recipient(recipient: Recipient) -> Recipient:
    """The recipient as a demonstration campaign's letters see it: the same name, a made-up
    address (also in the preview's mailto: link), and a contact of its own, so that demo letters
    and their answers never mix with the real recipient's."""
    local_part = slugify(recipient.name).replace("-", ".") or "recipient"
    return replace(recipient, key=f"demo:{recipient.key}", email=f"{local_part}@{DEMO_EMAIL_DOMAIN}")


def open_action(slug: str) -> LetterAction | None:
    return (
        LetterAction.objects.select_related("campaign__organisation", "target")
        .filter(slug=slug, is_open=True, campaign__is_public=True)
        .first()
    )


def find_recipient(action: LetterAction, postcode: str = "", *, constituency_code: str = "") -> Recipient:
    """The recipient of a letter in this action; raises NoRecipient/LettersPaused with a message
    for the supporter. For an MP: of `constituency_code` when the writer chose it from the list
    (their postcode is not in the data: LetterForm), else of the postcode's constituency.
    A demonstration campaign's recipients have made-up addresses (demo_recipient)."""
    recipient = _real_recipient(action, postcode, constituency_code=constituency_code)
    return demo_recipient(recipient) if action.campaign.is_demo else recipient


def _real_recipient(action: LetterAction, postcode: str, *, constituency_code: str) -> Recipient:
    if action.to_mp:
        if settings.LETTERS_PAUSE_MPS:
            raise LettersPaused(MP_PAUSED_MESSAGE)
        constituency = constituency_by_code(constituency_code) if constituency_code else lookup_postcode(postcode)
        if constituency is None:
            raise NoRecipient(_("We could not find a constituency for that postcode. Please check it (for example SW1A 1AA)."))
        member = current_member(constituency)
        if member is None or "@" not in (member.email or ""):
            raise NoRecipient(
                _(
                    "We do not have an email address for the MP for %(constituency)s, so we cannot send letters "
                    "to them from here. You could write to them at the House of Commons, London SW1A 0AA."
                ) % {"constituency": constituency.name}
            )
        return Recipient(
            key=f"mp:{member.parliament_member_id or member.pk}",
            name=member.name,
            email=member.email,
            constituency_code=constituency.gss_code,
            constituency_name=constituency.name,
        )
    target = action.target
    if target is None or not target.contact_email:
        raise NoRecipient(_("This letter cannot be sent yet: the organisers have not added an email address for it."))
    return Recipient(key=f"target:{target.pk}", name=target.name, email=target.contact_email, target_id=target.pk)


def suggested_letter_text(action: LetterAction) -> str:
    return f"{action.subject}\n\n{action.suggested_text}"


def letter_words(*, subject: str, personal: str, body: str) -> str:
    """What fingerprints compare: the words a supporter chose (not their name or postcode)."""
    return f"{subject}\n\n{personal}\n\n{body}"


def is_near_identical(*, action: LetterAction, recipient_key: str, words: str, fingerprint: list[int]) -> bool:
    """Whether a letter is near-identical to the suggested text or to another letter already
    confirmed to the same recipient (whose words are still kept or not: fingerprints stay).

    The suggested text counts because it is what the other letters will be: the first of twenty
    copies is as much a copy as the twentieth, and should be in the same digest.
    """
    return bool(near_identical_to(action=action, recipient_key=recipient_key, words=words, fingerprint=fingerprint))


NEAR_OTHER_LETTERS = "other_letters"
NEAR_SUGGESTED_TEXT = "suggested_text"


def near_identical_to(*, action: LetterAction, recipient_key: str, words: str, fingerprint: list[int]) -> str:
    """What the letter is near-identical to, so the preview can say it truly: NEAR_OTHER_LETTERS
    (letters others have sent the same recipient), else NEAR_SUGGESTED_TEXT, else ""."""
    threshold = settings.LETTERS_NEAR_IDENTICAL_PERCENT / 100
    others = Letter.objects.filter(contact__key=recipient_key, confirmed_at__isnull=False).order_by("-confirmed_at")
    for other in others.values_list("fingerprint", flat=True)[:500]:
        if fingerprints.estimated_similarity(fingerprint, other) >= threshold:
            return NEAR_OTHER_LETTERS
    if fingerprints.jaccard(fingerprints.shingles(words), fingerprints.shingles(suggested_letter_text(action))) >= threshold:
        return NEAR_SUGGESTED_TEXT
    return ""


def wilson_interval(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95% by default) for a proportion: honest with few answers."""
    if total == 0:
        return 0.0, 1.0
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


@dataclass(frozen=True)
class Responsiveness:
    answers: int
    responded: int
    published: bool
    share: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def percent(self):
        return None if self.share is None else round(self.share * 100)

    @property
    def low_percent(self):
        return None if self.low is None else round(self.low * 100)

    @property
    def high_percent(self):
        return None if self.high is None else round(self.high * 100)


def responsiveness(contact: Contact) -> Responsiveness:
    """Of the supporters who answered "Did you get a reply?", how many got one. Published only
    with LETTERS_FIGURES_MIN_ANSWERS answers or more; always with its 95% interval."""
    counts = Letter.objects.filter(contact=contact).exclude(answer="").aggregate(
        answers=Count("pk"), responded=Count("pk", filter=Q(answer__in=Letter.RESPONDED))
    )
    answers, responded = counts["answers"], counts["responded"]
    if answers < settings.LETTERS_FIGURES_MIN_ANSWERS:
        return Responsiveness(answers=answers, responded=responded, published=False)
    low, high = wilson_interval(responded, answers)
    return Responsiveness(answers=answers, responded=responded, published=True, share=responded / answers, low=low, high=high)


def contact_for_target(target) -> Contact | None:
    return Contact.objects.filter(key=f"target:{target.pk}").first()


def actions_for_campaign(campaign):
    return LetterAction.objects.filter(campaign=campaign, is_open=True).select_related("target")


def contacts_needing_attention(organisations):
    """Bounced contacts that letters of these organisations' actions went to."""
    return (
        Contact.objects.filter(bounced_at__isnull=False, letters__action__campaign__organisation__in=organisations)
        .distinct()
        .order_by("-bounced_at")
    )


def target_page_context(target) -> dict:
    """For the ledger's target page: the responsiveness figure of letters to this target, if any
    were written (one query without letters, three with)."""
    contact = contact_for_target(target)
    if contact is None:
        return {}
    return {"letters_contact": contact, "letters_figures": responsiveness(contact), "letters_minimum": settings.LETTERS_FIGURES_MIN_ANSWERS}


def addresses_with_letters(emails_normalised: set[str]) -> set[str]:
    """Of these addresses, those with any letter held (the data-link email asks, for a batch)."""
    held = Letter.objects.filter(supporter_email_normalised__in=emails_normalised)
    return set(held.values_list("supporter_email_normalised", flat=True).distinct())


def letters_held_about(email_normalised: str) -> list[dict]:
    """A supporter's letters whose details are still held, for their own-data page and download."""
    if not email_normalised:
        return []
    letters = Letter.objects.filter(supporter_email_normalised=email_normalised).select_related("action", "contact").order_by("created_at")
    return [
        {
            "id": str(letter.public_id),
            "to": letter.contact.name,
            "action": letter.action.title,
            "name": letter.supporter_name,
            "email": letter.supporter_email,
            "postcode": letter.postcode,
            "subject": letter.subject,
            "personal": letter.personal,
            "body": letter.body,
            "written_at": letter.created_at.isoformat(),
            "language": letter.language,
            "confirmed_at": letter.confirmed_at.isoformat() if letter.confirmed_at else None,
            "sent_at": letter.sent_at.isoformat() if letter.sent_at else None,
            "reply_answer": letter.answer or None,
        }
        for letter in letters
    ]


# The ledger's target page shows this figure (ledger/queries.py TARGET_PAGE_EXTRAS).
if target_page_context not in ledger_queries.TARGET_PAGE_EXTRAS:
    ledger_queries.TARGET_PAGE_EXTRAS.append(target_page_context)
