"""Every write of handin: thresholds, and reaching them (the ask on the ledger, exactly once).

`check_thresholds(petition_id)` runs after any transaction that added to a petition's count has
committed (petitions/hooks.py, registered in apps.py), and from housekeeping for every open
petition. Many confirmations may commit at the same instant and each call it: the conditional
UPDATE on `Threshold.reached_at` lets exactly one of them claim the threshold (on PostgreSQL the
others wait for its row lock and then match no row; on SQLite write transactions are already
serial), and the unique `Crossing.threshold` in the same transaction as the ask means a second
ask could never commit even if the guard were bypassed.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.accounts.models import Membership
from groundswell.core import outbox
from groundswell.core.pagecache import forget_on_commit
from groundswell.handin import emails, queries
from groundswell.handin.models import Crossing, Threshold
from groundswell.ledger import actions as ledger_actions
from groundswell.ledger.models import Channel
from groundswell.petitions import queries as petition_queries
from groundswell.petitions.models import COUNTED, Petition, Signature


def save_threshold(*, form, petition: Petition, user) -> Threshold:
    with transaction.atomic():
        threshold = form.save(commit=False)
        threshold.petition = petition
        threshold.created_by = user
        threshold.save()
        forget_on_commit(queries.pending_thresholds_cache_key(petition.pk))
    # Already past it? Then it is reached now, not at the next signature.
    transaction.on_commit(lambda: check_thresholds(petition.pk))
    return threshold


def delete_threshold(*, threshold: Threshold) -> bool:
    """Only a threshold not yet reached can be deleted (a reached one has its ask on the ledger)."""
    with transaction.atomic():
        deleted, _rows = Threshold.objects.filter(pk=threshold.pk, reached_at__isnull=True).delete()
        forget_on_commit(queries.pending_thresholds_cache_key(threshold.petition_id))
    return bool(deleted)


def check_thresholds(petition_id: int) -> list[Crossing]:
    """Reach every threshold of the petition that its count has passed; returns the new crossings."""
    pending = list(Threshold.objects.filter(petition_id=petition_id, reached_at__isnull=True).order_by("signatures"))
    if not pending:
        return []
    petition = Petition.objects.select_related("campaign__organisation").get(pk=petition_id)
    count = petition_queries.count_signatures(petition)
    crossings = []
    for threshold in pending:
        if threshold.signatures > count:
            break
        crossing = _reach(threshold, petition, count)
        if crossing is not None:
            crossings.append(crossing)
    return crossings


def check_thresholds_after_count_went_up(petition_id: int) -> list[Crossing]:
    """The petitions/hooks.py listener: check_thresholds, skipped (no query) for a petition with
    no threshold left to reach, as most are. A threshold saved in another process is seen within
    PUBLIC_PAGE_CACHE_SECONDS; housekeeping (check_all_thresholds) is not gated."""
    if not queries.has_pending_thresholds(petition_id):
        return []
    return check_thresholds(petition_id)


def check_all_thresholds() -> int:
    """Housekeeping: thresholds passed but not reached (a listener that failed after commit)."""
    petition_ids = Threshold.objects.filter(reached_at__isnull=True).values_list("petition_id", flat=True).distinct()
    return sum(len(check_thresholds(petition_id)) for petition_id in list(petition_ids))


def ask_words(threshold: Threshold, petition: Petition, count: int) -> str:
    words = _("The petition “%(title)s” reached %(count)s signatures (threshold: %(threshold)s). %(ask)s") % {
        "title": petition.title, "count": f"{count:,}", "threshold": f"{threshold.signatures:,}", "ask": threshold.ask_text,
    }
    if threshold.response_working_days:
        words += " " + _("We asked for a response within %(days)s working days.") % {"days": threshold.response_working_days}
    return words


def _reach(threshold: Threshold, petition: Petition, count: int) -> Crossing | None:
    with transaction.atomic():
        now = timezone.now()
        claimed = Threshold.objects.filter(pk=threshold.pk, reached_at__isnull=True).update(reached_at=now)
        if not claimed:
            return None  # another confirmation reached it first
        forget_on_commit(queries.pending_thresholds_cache_key(petition.pk))  # it may have been the last
        ask = ledger_actions.record_ask(
            campaign=petition.campaign, target=threshold.target, channel=Channel.PETITION,
            text=ask_words(threshold, petition, count), reason="Petition threshold reached",
        )
        crossing = Crossing.objects.create(threshold=threshold, ask=ask, count=count, reached_at=now)
        organisers = Membership.objects.filter(
            organisation_id=petition.campaign.organisation_id, role__in=[Membership.Role.OWNER, Membership.Role.ORGANISER]
        ).select_related("user")
        for membership in organisers:
            if membership.user.email:
                outbox.enqueue(emails.REACHED_ORGANISERS, object_id=crossing.pk, recipient=membership.user.email,
                               params={"user": membership.user_id})
        if threshold.notify_signers:
            signers = (
                Signature.objects.filter(COUNTED, petition=petition, updates_consent__isnull=False, anonymised_at__isnull=True)
                .exclude(email="").values_list("pk", "email_normalised")
            )
            for pk, email_normalised in signers.iterator(chunk_size=2000):
                outbox.enqueue(emails.REACHED_SIGNERS, object_id=pk, recipient=email_normalised, params={"crossing": crossing.pk})
    return crossing


# -- the emails (core/outbox.py) -------------------------------------------------------------


def _load_crossings(ids):
    return Crossing.objects.select_related("threshold__petition__campaign__organisation", "threshold__target", "ask").in_bulk(ids)


def _load_signatures(ids):
    return Signature.objects.select_related("petition__campaign__organisation").in_bulk(ids)


outbox.register(outbox.EmailKind(
    name=emails.REACHED_ORGANISERS, load=_load_crossings,
    build=lambda crossing, row: emails.build_reached_for_organiser(crossing, user_id=row.params.get("user")),
))
outbox.register(outbox.EmailKind(
    name=emails.REACHED_SIGNERS, load=_load_signatures,
    build=lambda signature, row: emails.build_reached_for_signer(signature, crossing_id=row.params.get("crossing"))
    if signature.email and signature.updates_consent_id else None,
))
