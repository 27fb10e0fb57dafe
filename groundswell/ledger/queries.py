"""Reads for the ledger's pages, JSON, feed and reminders, with joins resolved.

A campaign's whole ledger is read in three queries (asks with their targets, responses,
commitments) and shaped in Python: the scoreboard, timelines, JSON and feed all come from
`campaign_ledger()`, so they always agree.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from itertools import chain

from django.conf import settings
from django.utils.translation import gettext
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from groundswell.accounts.queries import editable_organisations_for
from groundswell.campaigns.models import Campaign
from groundswell.ledger import clock
from groundswell.ledger.models import Ask, AskBatch, ChaseSettings, Commitment, FollowUp, InstitutionReply, Response, Target


# --- The legal clock and what an ask's state is --------------------------------------------


def chase_settings_for(campaign) -> ChaseSettings:
    """The campaign's chasing rules, or the defaults from settings (unsaved) if it has none."""
    found = ChaseSettings.objects.filter(campaign=campaign).first()
    return found or ChaseSettings(
        campaign=campaign, enabled=True, campaign_ask_days=settings.LEDGER_CHASE_CAMPAIGN_ASK_DAYS,
        interval_days=settings.LEDGER_CHASE_INTERVAL_DAYS, max_chasers=settings.LEDGER_CHASE_MAX,
    )


def next_chaser_on(ask: Ask, *, chasers: list, rules: ChaseSettings) -> date | None:
    """The day the next chaser is due (a working day of the target's nation), or None."""
    nation = ask.target.nation
    whole_uk = clock.counts_whole_uk(ask.kind, nation)
    if not chasers:
        if ask.due_on is not None:
            return clock.add_working_days(ask.due_on, 1, nation=nation, whole_uk=whole_uk)
        return clock.add_working_days(ask.asked_on, rules.campaign_ask_days, nation=nation)
    last = max(c.sent_on for c in chasers)
    return clock.next_working_day(last + timedelta(days=rules.interval_days), nation=nation, whole_uk=whole_uk)


def answered_responses(ask: Ask) -> list[Response]:
    return [r for r in ask.responses.all() if r.classification != Response.Classification.ACKNOWLEDGED]


@dataclass(frozen=True)
class AskState:
    """What can be said of one ask today, each fact on its own (no single score)."""

    acknowledged: bool  # any response at all, an acknowledgement included
    answered: bool  # a response that is more than an acknowledgement
    answered_on_time: bool
    committed: bool
    refused: bool
    draft_waiting: bool  # the institution answered; organisers have not published it yet
    overdue: bool  # due date passed with no answer
    silent: bool  # no response at all (and no draft)
    working_days_overdue: int
    first_answer_on: date | None


def ask_state(ask: Ask, today: date) -> AskState:
    responses = list(ask.responses.all())
    answers = answered_responses(ask)
    first = min((r.received_on for r in answers), default=None)
    drafts = [r for r in ask.institution_replies.all() if r.state == InstitutionReply.State.DRAFT] if ask.sent_at else []
    kinds = {r.classification for r in responses}
    overdue = not answers and ask.due_on is not None and ask.due_on < today
    return AskState(
        acknowledged=bool(responses),
        answered=bool(answers),
        answered_on_time=bool(answers) and ask.due_on is not None and first <= ask.due_on,
        committed=bool(kinds & {Response.Classification.COMMITTED, Response.Classification.PARTLY_COMMITTED}),
        refused=Response.Classification.REFUSED in kinds,
        draft_waiting=bool(drafts),
        overdue=overdue,
        silent=not responses,
        working_days_overdue=clock.working_days_overdue(kind=ask.kind, due_on=ask.due_on, today=today, nation=ask.target.nation)
        if overdue else 0,
        first_answer_on=first,
    )


FIGURE_NAMES = ["asks", "acknowledged", "answered", "answered_on_time", "committed", "refused", "silent", "overdue",
                "commitments_kept", "commitments_pending", "commitments_broken", "commitments_overdue"]


def figures_for(asks, today: date) -> dict[str, int]:
    """Counted apart, never added into one score: how many asks were acknowledged, answered,
    answered on time, committed to, refused, silent, overdue, and what became of the promises."""
    counts = dict.fromkeys(FIGURE_NAMES, 0)
    for ask in asks:
        state = ask_state(ask, today)
        counts["asks"] += 1
        for name in ("acknowledged", "answered", "answered_on_time", "committed", "refused", "silent", "overdue"):
            counts[name] += int(getattr(state, name))
        for response in ask.responses.all():
            for commitment in response.commitments.all():
                counts[f"commitments_{commitment.public_status(today)}"] += 1
    return counts


# Apps above the ledger say who stands behind an ask, for its email: each function takes
# (campaign, target) and returns lines of text ("12,400 people have signed the petition …; 830 of
# them in Scotland"). Registered from composition's AppConfig.ready(); the ledger knows no petitions.
ASK_SUPPORT_LINES: list = []


def ask_support_lines(campaign, target) -> list[str]:
    lines = []
    for contribute in ASK_SUPPORT_LINES:
        lines.extend(contribute(campaign, target))
    return lines


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

    @cached_property
    def figures(self) -> dict[str, int]:
        return figures_for(self.asks, self.today)

    def timeline(self) -> list[dict]:
        """Every event, oldest first, each with a label in words (never colour alone) and its source."""
        events = []
        for ask in self.asks:
            state = ask_state(ask, self.today)
            events.append({"date": ask.asked_on, "kind": "ask", "label": _("Asked"), "anchor": f"ask-{ask.pk}", "ask": ask,
                           "state": state})
            for follow_up in ask.follow_ups.all():
                label = (_("Chaser %(number)s sent") % {"number": follow_up.number} if follow_up.kind == FollowUp.Kind.CHASER
                         else _("Internal review requested"))
                events.append({"date": follow_up.sent_on, "kind": "follow_up", "label": label,
                               "anchor": f"follow-up-{follow_up.pk}", "follow_up": follow_up, "ask": ask})
            for response in ask.responses.all():
                label = _("Response: %(classification)s") % {"classification": response.get_classification_display().lower()}
                events.append({
                    "date": response.received_on, "kind": "response", "anchor": f"response-{response.pk}",
                    "label": label, "response": response, "from_institution": response.from_institution,
                    "original": getattr(response, "institution_reply", None) if response.from_institution else None,
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
                    "date": self.today, "kind": "silence", "anchor": f"silence-{ask.pk}", "label": _("No response"),
                    "days": days, "ask": ask, "state": state,
                    "overdue_text": ngettext("%(count)d working day overdue", "%(count)d working days overdue",
                                             state.working_days_overdue) % {"count": state.working_days_overdue},
                })
        order = {"ask": 0, "follow_up": 1, "response": 2, "commitment": 3, "silence": 4}
        return sorted(events, key=lambda e: (e["date"], order[e["kind"]]))

# A commitment's public status in words (overdue is pending past its due date).
STATUS_LABELS = {"kept": gettext_lazy("kept"), "pending": gettext_lazy("pending"), "overdue": gettext_lazy("overdue"), "broken": gettext_lazy("broken")}

# Apps built on the ledger add to a target's public page: each function takes the Target and
# returns template context (letters adds its reply figures). The ledger knows none of them, so it
# depends on no app above it; they register in their AppConfig.ready().
TARGET_PAGE_EXTRAS: list = []
# Apps built on the ledger add sections to a target's page: each function takes the Target and
# returns (template name, context) or None (events lists the events held to keep a promise).
TARGET_PAGE_SECTIONS: list = []


def _asks_with_everything():
    return Ask.objects.select_related("target", "campaign").prefetch_related(
        Prefetch("responses", queryset=Response.objects.order_by("received_on", "pk").select_related("institution_reply").prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.order_by("due_on", "pk"))
        )),
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("sent_on", "pk")),
        Prefetch("institution_replies", queryset=InstitutionReply.objects.order_by("received_at", "pk").prefetch_related("attachments")),
    ).order_by("asked_on", "pk")


def batch_asks(batch: AskBatch) -> list[Ask]:
    return list(_asks_with_everything().filter(batch=batch).order_by("target__name"))


def editable_batches(user):
    return AskBatch.objects.filter(campaign__organisation__in=editable_organisations_for(user)).select_related("campaign")


def editable_replies(user):
    return InstitutionReply.objects.filter(ask__target__organisation__in=editable_organisations_for(user)).select_related(
        "ask__target", "ask__campaign"
    ).prefetch_related("attachments")


def ask_for_answer_link(public_id) -> Ask | None:
    return Ask.objects.select_related("target", "campaign__organisation").filter(public_id=public_id, sent_at__isnull=False).first()


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
