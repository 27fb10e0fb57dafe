"""Reads for the ledger's pages, JSON, feed and reminders, with joins resolved.

A campaign's whole ledger is read in three queries (asks with their targets, responses,
commitments) and shaped in Python: the scoreboard, timelines, JSON and feed all come from
`campaign_ledger()`, so they always agree.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import chain

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.db.models import Prefetch
from django.utils import timezone

from groundswell.accounts.queries import editable_organisations_for
from groundswell.campaigns.models import Campaign
from groundswell.ledger.models import Ask, Commitment, Response, Target


@dataclass
class TargetRecord:
    """One target's record within one campaign, with what is derived from it (computed once per
    record: it is built after all its asks are added, and read many times by the templates)."""

    target: Target
    asks: list[Ask] = field(default_factory=list)
    today: date = field(default_factory=timezone.localdate)

    @cached_property
    def responses(self) -> list[Response]:
        return sorted(chain.from_iterable(a.responses.all() for a in self.asks), key=lambda r: (r.received_on, r.pk))

    @cached_property
    def commitments(self) -> list[Commitment]:
        return list(chain.from_iterable(r.commitments.all() for r in self.responses))

    @cached_property
    def unanswered_asks(self) -> list[Ask]:
        return [a for a in self.asks if not a.responses.all()]

    @property
    def first_asked_on(self) -> date | None:
        return self.asks[0].asked_on if self.asks else None

    @property
    def days_waiting(self) -> int | None:
        """Days since the oldest ask that has had no response; None when every ask is answered."""
        unanswered = self.unanswered_asks
        return (self.today - unanswered[0].asked_on).days if unanswered else None

    @property
    def days_to_first_response(self) -> int | None:
        """How long the target took to answer its first ask (silence stays visible once ended)."""
        answered = [a for a in self.asks if a.responses.all()]
        if not answered:
            return None
        ask = answered[0]
        return (ask.responses.all()[0].received_on - ask.asked_on).days

    @property
    def latest_response(self) -> Response | None:
        responses = self.responses
        return responses[-1] if responses else None

    @cached_property
    def commitment_counts(self) -> dict[str, int]:
        counts = {"kept": 0, "pending": 0, "overdue": 0, "broken": 0}
        for commitment in self.commitments:
            counts[commitment.public_status(self.today)] += 1
        return counts

    def timeline(self) -> list[dict]:
        """Every event, oldest first, each with a label in words (never colour alone) and its source."""
        events = []
        for ask in self.asks:
            events.append({"date": ask.asked_on, "kind": "ask", "label": gettext("Asked"), "anchor": f"ask-{ask.pk}", "ask": ask})
            for response in ask.responses.all():
                events.append({
                    "date": response.received_on, "kind": "response", "anchor": f"response-{response.pk}",
                    "label": gettext("Response: %(classification)s") % {"classification": response.get_classification_display().lower()},
                    "response": response,
                    "days_after_ask": (response.received_on - ask.asked_on).days,
                })
                for commitment in response.commitments.all():
                    status = commitment.public_status(self.today)
                    events.append({
                        "date": response.received_on, "kind": "commitment", "anchor": f"commitment-{commitment.pk}",
                        "label": gettext("Promise: %(status)s") % {"status": STATUS_LABELS[status]}, "status": status,
                        "status_label": STATUS_LABELS[status], "commitment": commitment, "response": response,
                    })
            if not ask.responses.all():
                days = (self.today - ask.asked_on).days
                events.append({
                    "date": self.today, "kind": "silence", "anchor": f"silence-{ask.pk}", "label": gettext("No response"),
                    "days": days, "ask": ask,
                })
        order = {"ask": 0, "response": 1, "commitment": 2, "silence": 3}
        return sorted(events, key=lambda e: (e["date"], order[e["kind"]]))

# A commitment's public status in words (overdue is pending past its due date).
STATUS_LABELS = {"kept": _("kept"), "pending": _("pending"), "overdue": _("overdue"), "broken": _("broken")}

# Apps built on the ledger add to a target's public page: each function takes the Target and
# returns template context (letters adds its reply figures). The ledger knows none of them, so it
# depends on no app above it; they register in their AppConfig.ready().
TARGET_PAGE_EXTRAS: list = []


def _asks_with_everything():
    return Ask.objects.select_related("target", "campaign").prefetch_related(
        Prefetch("responses", queryset=Response.objects.order_by("received_on", "pk").prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.order_by("due_on", "pk"))
        ))
    ).order_by("asked_on", "pk")


def campaign_ledger(
    campaign: Campaign, *, public_only: bool = True, today: date | None = None, target_id: int | None = None
) -> list[TargetRecord]:
    """The campaign's targets (or one) with their asks, responses and commitments, silent ones first."""
    today = today or timezone.localdate()
    asks = _asks_with_everything().filter(campaign=campaign)
    if target_id is not None:
        asks = asks.filter(target_id=target_id)
    if public_only:
        asks = asks.filter(target__is_public=True)
    records: dict[int, TargetRecord] = {}
    for ask in asks:
        records.setdefault(ask.target_id, TargetRecord(target=ask.target, today=today)).asks.append(ask)
    return sorted(records.values(), key=lambda r: (-(r.days_waiting or -1), r.target.name))


def target_record(campaign: Campaign, target_id: int, *, public_only: bool = True) -> TargetRecord | None:
    records = campaign_ledger(campaign, public_only=public_only, target_id=target_id)
    return records[0] if records else None


def campaign_has_ledger(campaign: Campaign) -> bool:
    return Ask.objects.filter(campaign=campaign, target__is_public=True).exists()


# --- Organisers -----------------------------------------------------------------------------


def editable_targets(user):
    return Target.objects.filter(organisation__in=editable_organisations_for(user)).select_related("organisation")


def editable_campaigns(user):
    return Campaign.objects.filter(organisation__in=editable_organisations_for(user))


def editable_asks(user):
    return Ask.objects.filter(target__organisation__in=editable_organisations_for(user)).select_related("target", "campaign")


def editable_responses(user):
    return Response.objects.filter(ask__target__organisation__in=editable_organisations_for(user)).select_related(
        "ask__target", "ask__campaign"
    )


def editable_commitments(user):
    return Commitment.objects.filter(
        response__ask__target__organisation__in=editable_organisations_for(user)
    ).select_related("response__ask__target", "response__ask__campaign")


def target_asks_for_organisers(target: Target) -> list[Ask]:
    return list(_asks_with_everything().filter(target=target))


# --- History --------------------------------------------------------------------------------

_HISTORY_LABELS = {Target: "Target", Ask: "Ask", Response: "Response", Commitment: "Commitment"}


def _describe(model, record) -> str:
    """A short name for a historical record, from columns already loaded (no query per row)."""
    if model is Target:
        return record.name
    if model is Ask:
        return f"ask to {record.target.name} of {record.asked_on:%-d %B %Y}" if record.target else f"ask {record.id}"
    if model is Response:
        target = record.ask.target.name if record.ask and record.ask.target else "a target"
        return f"response from {target} of {record.received_on:%-d %B %Y}"
    return record.promise[:80]


_RELATED = {Target: [], Ask: ["target"], Response: ["ask__target"], Commitment: []}


def change_history(*, organisation_ids, target: Target | None = None, limit: int = 200) -> list[dict]:
    """Every recorded change to the organisations' ledger (or one target's), newest first:
    who, when, what kind of record, and which fields changed from what to what.

    Reads a fixed number of queries however long the history: the latest `limit` versions of each
    model, then the versions just before the changed ones (to diff against), one query per model.
    """
    sources = {
        Target: Target.history.filter(organisation_id__in=organisation_ids),
        Ask: Ask.history.filter(target__organisation_id__in=organisation_ids),
        Response: Response.history.filter(ask__target__organisation_id__in=organisation_ids),
        Commitment: Commitment.history.filter(response__ask__target__organisation_id__in=organisation_ids),
    }
    if target is not None:
        sources[Target] = sources[Target].filter(id=target.pk)
        sources[Ask] = sources[Ask].filter(target_id=target.pk)
        sources[Response] = sources[Response].filter(ask__target_id=target.pk)
        sources[Commitment] = sources[Commitment].filter(response__ask__target_id=target.pk)
    entries = []
    for model, queryset in sources.items():
        records = list(queryset.select_related("history_user", *_RELATED[model]).order_by("-history_date", "-history_id")[:limit])
        changed_ids = {r.id for r in records if r.history_type == "~"}
        versions: dict[int, list] = {}
        if changed_ids:
            for version in model.history.filter(id__in=changed_ids).order_by("history_date", "history_id"):
                versions.setdefault(version.id, []).append(version)
        for record in records:
            previous = None
            if record.history_type == "~":
                earlier = [v for v in versions.get(record.id, []) if v.history_id < record.history_id]
                previous = earlier[-1] if earlier else None
            entries.append((model, record, previous))
    entries.sort(key=lambda e: (e[1].history_date, e[1].history_id), reverse=True)
    result = []
    for model, record, previous in entries[:limit]:
        changes = []
        if previous is not None:
            changes = [
                {"field": model._meta.get_field(c.field).verbose_name, "old": c.old, "new": c.new}
                for c in record.diff_against(previous).changes
            ]
        user = record.history_user
        result.append({
            "when": record.history_date,
            "who": (user.email or user.username) if user else "the system",
            "action": {"+": "added", "~": "changed", "-": "deleted"}[record.history_type],
            "kind": _HISTORY_LABELS[model],
            "what": _describe(model, record),
            "reason": record.history_change_reason or "",
            "changes": changes,
        })
    return result
