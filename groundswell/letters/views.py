"""Letter pages: request in, form, action, response out. The rules live in actions and queries."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.utils.translation import gettext

from groundswell.accounts.queries import editable_organisations_for, organisations_for
from groundswell.campaigns.models import Campaign
from groundswell.core.ids import parse_id
from groundswell.core.slugs import save_with_unique_slug
from groundswell.core.signed_links import ExpiredToken, InvalidToken
from groundswell.letters import actions, fingerprints, queries, tokens
from groundswell.letters.errors import LetterError, LettersPaused, NoRecipient, RateLimited
from groundswell.ledger.queries import editable_asks
from groundswell.letters.forms import LetterActionForm, LetterForm
from groundswell.letters.models import Contact, Letter, LetterAction
from groundswell.core.networks import client_ip


def _action_or_404(slug) -> LetterAction:
    action = queries.open_action(slug)
    if action is None:
        raise Http404
    return action


def _initial(action):
    return {"subject": action.subject, "body": action.suggested_text}


def _compose_page(request, action, form, *, status=200, paused_message=""):
    return render(
        request,
        "letters/compose.html",
        {"action": action, "campaign": action.campaign, "form": form, "paused_message": paused_message,
         "confirmation_days": settings.LETTERS_CONFIRMATION_DAYS, "retention_days": settings.LETTERS_TEXT_RETENTION_DAYS},
        status=status,
    )


def _unsaved_letter(action, recipient, data) -> Letter:
    contact = Contact(name=recipient.name, email=recipient.email, constituency_name=recipient.constituency_name)
    return Letter(
        action=action, contact=contact, supporter_name=data["name"], supporter_email=data["email"],
        postcode=data.get("postcode", ""), subject=data["subject"], personal=data["personal"], body=data["body"],
    )


@never_cache  # shows the supporter's name, address or letter: never kept in a cache
def compose(request, slug):
    """GET: the form. POST step=preview: the preview (nothing stored). POST step=edit: back to the
    form with what was written. POST step=send: store the letter and email for confirmation."""
    action = _action_or_404(slug)
    if action.to_mp and settings.LETTERS_PAUSE_MPS:
        return _compose_page(request, action, None, paused_message=queries.MP_PAUSED_MESSAGE)
    if request.method != "POST":
        return _compose_page(request, action, LetterForm(action=action, initial=_initial(action)))
    form = LetterForm(request.POST, action=action)
    if not form.is_valid():
        return _compose_page(request, action, form, status=400)
    data = form.cleaned_data
    try:
        recipient = queries.find_recipient(action, data.get("postcode", ""), constituency_code=data["constituency_code"])
    except LettersPaused as error:
        return _compose_page(request, action, None, paused_message=str(error), status=409)
    except NoRecipient as error:
        form.add_error("postcode" if action.to_mp else None, str(error))
        return _compose_page(request, action, form, status=400)
    step = request.POST.get("step")
    if step == "edit":
        return _compose_page(request, action, form)
    if step == "send":
        try:
            letter = actions.write_letter(
                action=action, ip_address=client_ip(request), name=data["name"], email=data["email"],
                postcode=data.get("postcode", ""), subject=data["subject"], personal=data["personal"], body=data["body"],
                constituency_code=data["constituency_code"],
            )
        except LetterError as error:
            form.add_error(None, str(error))
            return _compose_page(request, action, form, status=429 if isinstance(error, RateLimited) else 409)
        check_email_url = reverse("letters:check_email", args=[action.slug])
        return redirect(f"{check_email_url}?digest=1" if letter.is_bundled else check_email_url)
    letter = _unsaved_letter(action, recipient, data)
    words = queries.letter_words(subject=data["subject"], personal=data["personal"], body=data["body"])
    near_identical = queries.near_identical_to(
        action=action, recipient_key=recipient.key, words=words, fingerprint=fingerprints.minhash(words)
    )
    private_text = render_to_string("letters/emails/letter.txt", {"letter": letter, "action": action, "contact": letter.contact, "private": True})
    mailto = f"mailto:{quote(recipient.email, safe='@')}?subject={quote(data['subject'], safe='')}&body={quote(private_text, safe='')}"
    return render(
        request,
        "letters/preview.html",
        {
            "action": action, "campaign": action.campaign, "form": form, "recipient": recipient,
            "letter_text": render_to_string("letters/emails/letter.txt", {"letter": letter, "action": action, "contact": letter.contact}),
            "near_identical": near_identical,
            "near_other_letters": near_identical == queries.NEAR_OTHER_LETTERS,
            "mailto": mailto if action.to_mp else "",
            "confirmation_days": settings.LETTERS_CONFIRMATION_DAYS,
            "digest_hours": settings.LETTERS_DIGEST_HOURS,
            "retention_days": settings.LETTERS_TEXT_RETENTION_DAYS,
        },
    )


def check_email(request, slug):
    action = _action_or_404(slug)
    return render(
        request,
        "letters/check_email.html",
        {"action": action, "bundled": request.GET.get("digest") == "1", "confirmation_days": settings.LETTERS_CONFIRMATION_DAYS},
    )


def _letter_from_token(token, purpose):
    try:
        public_id = purpose.read(token)
    except ExpiredToken:
        return None, True
    except InvalidToken:
        return None, False
    letter = Letter.objects.select_related("action__campaign__organisation", "contact").filter(public_id=public_id).first()
    return letter, letter is None


@never_cache  # shows the supporter's name, address or letter: never kept in a cache
def confirm(request, token):
    """GET shows a button; only its POST confirms (mail scanners only GET)."""
    letter, expired = _letter_from_token(token, tokens.CONFIRMATION_LINK)
    if letter is None or letter.text_deleted_at is not None:
        return render(request, "letters/link_invalid.html", {"expired": expired}, status=410 if expired else 404)
    error = ""
    if request.method == "POST":
        try:
            actions.confirm_letter(letter=letter)
        except LetterError as problem:
            error = str(problem)
        else:
            return redirect("letters:confirmed", token=token)
    return render(
        request, "letters/confirm.html",
        {"letter": letter, "contact": letter.contact, "already_confirmed": letter.confirmed_at is not None, "error": error},
        status=409 if error else 200,
    )


@never_cache  # shows the supporter's name, address or letter: never kept in a cache
def confirmed(request, token):
    letter, expired = _letter_from_token(token, tokens.CONFIRMATION_LINK)
    if letter is None or letter.confirmed_at is None:
        return render(request, "letters/link_invalid.html", {"expired": expired}, status=404)
    return render(
        request, "letters/confirmed.html",
        {"letter": letter, "contact": letter.contact, "action": letter.action, "digest_hours": settings.LETTERS_DIGEST_HOURS},
    )


@never_cache  # shows the supporter's name, address or letter: never kept in a cache
def answer(request, token, answer):
    """The follow-up's answers: each link opens this page; its button (a POST) records the answer."""
    letter, expired = _letter_from_token(token, tokens.FOLLOWUP_LINK)
    if letter is None or answer not in Letter.Answer.values:
        return render(request, "letters/link_invalid.html", {"expired": expired}, status=410 if expired else 404)
    label = Letter.Answer(answer).label
    if request.method == "POST":
        actions.record_answer(letter=letter, answer=answer)
        return render(request, "letters/answered.html", {"letter": letter, "contact": letter.contact, "label": label})
    return render(request, "letters/answer.html", {"letter": letter, "contact": letter.contact, "label": label})


def recipient(request, pk):
    contact = get_object_or_404(Contact, pk=pk)
    if contact.target_id is not None and not contact.target.is_public:
        raise Http404
    return render(
        request, "letters/recipient.html",
        {"contact": contact, "figures": queries.responsiveness(contact), "minimum": settings.LETTERS_FIGURES_MIN_ANSWERS},
    )


# --- Organisers' area ---------------------------------------------------------------------


def _editable_campaigns(user):
    return Campaign.objects.filter(organisation__in=editable_organisations_for(user))


@login_required
def organise(request):
    organisations = organisations_for(request.user)
    letter_actions = LetterAction.objects.filter(campaign__organisation__in=organisations).select_related("campaign", "target")
    return render(
        request, "letters/organise.html",
        {
            "letter_actions": letter_actions,
            "bounced": queries.contacts_needing_attention(organisations),
            "can_create": editable_organisations_for(request.user).exists(),
        },
    )


@login_required
def action_edit(request, pk=None):
    campaigns = _editable_campaigns(request.user)
    letter_action = get_object_or_404(LetterAction, pk=pk, campaign__in=campaigns) if pk is not None else None
    if letter_action is None and not campaigns.exists():
        messages.error(request, gettext("Create a campaign first: every letter-writing action belongs to one."))
        return redirect("composition:organise")
    initial = None
    chase = parse_id(request.GET.get("chase"))
    if letter_action is None and chase is not None:
        # "Start a chase" from a silent target's page in the ledger: pre-filled from the ask.
        ask = get_object_or_404(editable_asks(request.user), pk=chase)
        initial = LetterActionForm.initial_for_chase(ask)
    form = LetterActionForm(request.POST or None, instance=letter_action, campaigns=campaigns, initial=initial)
    if request.method == "POST" and form.is_valid() and (saved := save_with_unique_slug(actions.save_letter_action, form=form)):
        letter_action = saved
        messages.success(request, gettext("Saved the letter-writing action “%(title)s”.") % {"title": letter_action.title})
        return redirect("letters:organise")
    return render(request, "letters/edit.html", {"form": form, "letter_action": letter_action})
