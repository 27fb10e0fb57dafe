"""The hand-in pack's contents: everything the recipient needs to take the petition seriously,
and nothing about any signer but the names of those who agreed to give them."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from groundswell.core.pagecache import briefly_cached
from groundswell.handin.models import Crossing, Threshold
from groundswell.ledger import queries as ledger_queries
from groundswell.ledger.models import Target
from groundswell.petitions import queries as petition_queries
from groundswell.petitions.areas import petition_area_json
from groundswell.petitions.models import Petition, Signature


def pending_thresholds_cache_key(petition_id: int) -> str:
    return f"handin:has-pending-thresholds:{petition_id}"


def has_pending_thresholds(petition_id: int) -> bool:
    """Whether the petition has a threshold not yet reached: asked after every confirmation, and
    most petitions have none, so briefly cached (core/pagecache.py). handin.actions forgets it
    on commit whenever a threshold is saved, deleted or reached."""
    return briefly_cached(
        key=pending_thresholds_cache_key(petition_id),
        build=lambda: Threshold.objects.filter(petition_id=petition_id, reached_at__isnull=True).exists(),
    )


def thresholds_of(petition: Petition):
    return list(Threshold.objects.filter(petition=petition).select_related("target", "crossing__ask").order_by("signatures", "pk"))


@dataclass
class Pack:
    petition: Petition
    target: Target
    generated_at: object
    versions: list
    total: int
    by_channel: dict
    constituencies: list
    nations: list
    checks: dict
    names: list
    thresholds: list
    ledger: object  # ledger.queries.TargetRecord or None
    first_signed: date | None = None
    last_signed: date | None = None
    crossings: list = field(default_factory=list)


def hand_in_pack(petition: Petition, target: Target) -> Pack:
    by_channel = petition_queries.count_by_channel(petition)
    areas = petition_area_json(None, petition)
    signed = Signature.objects.filter(petition=petition, confirmed_at__isnull=False).order_by("confirmed_at")
    first = signed.values_list("confirmed_at", flat=True).first()
    last = signed.reverse().values_list("confirmed_at", flat=True).first()
    thresholds = [t for t in thresholds_of(petition) if t.target_id == target.pk]
    return Pack(
        petition=petition,
        target=target,
        generated_at=timezone.now(),
        versions=petition_queries.versions_of(petition),
        total=sum(by_channel.values()),
        by_channel=by_channel,
        constituencies=[row for row in areas.get("signatures_by_constituency", []) if row["signatures"]],
        nations=[row for row in areas.get("signatures_by_nation", []) if row["signatures"]],
        checks=petition_queries.signature_checks(petition),
        names=petition_queries.names_for_recipient(petition),
        thresholds=thresholds,
        ledger=ledger_queries.target_record(petition.campaign, target.pk, public_only=False),
        first_signed=timezone.localdate(first) if first else None,
        last_signed=timezone.localdate(last) if last else None,
        crossings=list(Crossing.objects.filter(threshold__in=thresholds).select_related("ask")),
    )
