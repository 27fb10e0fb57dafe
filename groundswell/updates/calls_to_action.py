"""What an update can ask people to do: a registry of kinds of call to action.

An update stores its call to action as "<kind>:<id>" ("petition:12", "letters:3"). Each kind says
which of an organisation's things can be chosen and how to turn one into a button (label and
address). Updates registers petitions and letter-writing actions itself (both are below it);
an app above updates, or beside it later (events), registers its own kind from its
AppConfig.ready() with `register(CallToActionKind("event", ...))`, and updates need not know it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from groundswell.letters.models import LetterAction
from groundswell.petitions.models import Petition


@dataclass(frozen=True)
class CallToAction:
    label: str  # the button's words
    url: str  # absolute


@dataclass(frozen=True)
class CallToActionKind:
    name: str
    # (id, label) of what an organisation may point people to.
    choices: Callable[[object], list[tuple[int, str]]]
    # The button for one id within the organisation, or None if it is not (or no longer) theirs.
    resolve: Callable[[object, int], CallToAction | None]
    group_label: str = ""


_KINDS: dict[str, CallToActionKind] = {}


def register(kind: CallToActionKind) -> CallToActionKind:
    _KINDS[kind.name] = kind
    return kind


def choices_for(organisation) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a select: [(group label, [("petition:12", "Title"), …]), …]."""
    groups = []
    for kind in _KINDS.values():
        options = [(f"{kind.name}:{pk}", label) for pk, label in kind.choices(organisation)]
        if options:
            groups.append((str(kind.group_label or kind.name), options))
    return groups


def resolve(organisation, value: str) -> CallToAction | None:
    name, _, pk = (value or "").partition(":")
    kind = _KINDS.get(name)
    if kind is None or not pk.isdigit():
        return None
    return kind.resolve(organisation, int(pk))


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# -- what updates offers itself: the organisation's open petitions and letter-writing actions --


def _petition_choices(organisation):
    return list(Petition.objects.filter(campaign__organisation=organisation, state=Petition.State.OPEN).values_list("pk", "title"))


def _petition_button(organisation, pk):
    petition = Petition.objects.filter(campaign__organisation=organisation, pk=pk).first()
    if petition is None:
        return None
    return CallToAction(
        label=gettext("Sign the petition: %(title)s") % {"title": petition.title},
        url=absolute(reverse("petitions:detail", args=[petition.slug])),
    )


def _letter_choices(organisation):
    return list(LetterAction.objects.filter(campaign__organisation=organisation, is_open=True).values_list("pk", "title"))


def _letter_button(organisation, pk):
    action = LetterAction.objects.filter(campaign__organisation=organisation, pk=pk).first()
    if action is None:
        return None
    return CallToAction(label=action.title, url=absolute(reverse("letters:compose", args=[action.slug])))


register(CallToActionKind("petition", _petition_choices, _petition_button, group_label=_("Petitions")))
register(CallToActionKind("letters", _letter_choices, _letter_button, group_label=_("Letter-writing actions")))
# An events app registers CallToActionKind("event", …) from its own AppConfig.ready().
