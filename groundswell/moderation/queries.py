"""Reads for the moderators' view. Every moderator read is organisation-scoped."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from groundswell.accounts.queries import moderated_organisations_for
from groundswell.core.networks import in_network, parse_network
from groundswell.moderation.models import ModerationRecord
from groundswell.petitions.models import Petition, Signature


def moderated_petitions(user):
    """Petitions a user may moderate: owners, organisers and moderators (accounts/permissions.py MODERATE), not viewers."""
    return Petition.objects.filter(campaign__organisation__in=moderated_organisations_for(user)).select_related(
        "campaign__organisation"
    )


def moderation_records_for(user):
    return ModerationRecord.objects.filter(petition__in=moderated_petitions(user))


def top_sources(petition, *, hours: int, limit: int = 10, now=None) -> dict:
    """The IP addresses, networks and email domains that signed most in the last `hours`, with shares."""
    now = now or timezone.now()
    recent = Signature.objects.filter(petition=petition, created_at__gte=now - timedelta(hours=hours))
    total = recent.count()
    result = {"total": total, "hours": hours}
    for field in ("ip_address", "ip_network", "email_domain"):
        present = recent.exclude(**{f"{field}__isnull": True})
        if field != "ip_address":  # (comparing an IP address field with "" matches nothing in SQL)
            present = present.exclude(**{field: ""})
        rows = (
            present.values(field)
            .annotate(n=Count("id"), flagged=Count("id", filter=~Q(flagged_reason="")))
            .order_by("-n", field)[:limit]
        )
        result[field] = [
            {"value": row[field], "n": row["n"], "flagged": row["flagged"], "share": (100.0 * row["n"] / total) if total else 0.0}
            for row in rows
        ]
    return result


def flagged_signatures(petition, *, limit: int = 100):
    return list(
        Signature.objects.filter(petition=petition).exclude(flagged_reason="").order_by("-created_at")[:limit]
    )


def count_flagged(petition) -> dict[str, int]:
    rows = (
        Signature.objects.filter(petition=petition).exclude(flagged_reason="")
        .values("flagged_reason").annotate(n=Count("id")).order_by("-n")
    )
    return {row["flagged_reason"]: row["n"] for row in rows}


def signatures_matching(petition, criteria: dict):
    """Ids of the petition's signatures matching every given criterion, not yet invalidated.

    criteria keys (all optional, combined with AND): network (CIDR text), email_domain,
    since / until (ISO datetimes), constituency_code. IP ranges are matched in Python, the same
    way on SQLite and PostgreSQL; everything else narrows the rows in the database first.
    """
    rows = Signature.objects.filter(petition=petition).exclude(flagged_reason="invalidated")
    if criteria.get("email_domain"):
        domain = criteria["email_domain"].strip().lower()
        rows = rows.filter(Q(email_domain=domain) | Q(email_domain__endswith=f".{domain}"))  # and its subdomains
    if criteria.get("since"):
        rows = rows.filter(created_at__gte=criteria["since"])
    if criteria.get("until"):
        rows = rows.filter(created_at__lt=criteria["until"])
    if criteria.get("constituency_code"):
        rows = rows.filter(constituency_code=criteria["constituency_code"].strip().upper())
    if not criteria.get("network"):
        return list(rows.order_by("pk").values_list("pk", flat=True))
    network = parse_network(criteria["network"])
    return [
        pk
        for pk, ip in rows.exclude(ip_address__isnull=True).order_by("pk").values_list("pk", "ip_address").iterator()
        if in_network(ip, network)
    ]


def describe_criteria(criteria: dict) -> str:
    parts = []
    if criteria.get("network"):
        parts.append(f"IP range {criteria['network']}")
    if criteria.get("email_domain"):
        parts.append(f"email domain {criteria['email_domain']} (and its subdomains)")
    if criteria.get("since"):
        parts.append(f"signed from {criteria['since']}")
    if criteria.get("until"):
        parts.append(f"signed before {criteria['until']}")
    if criteria.get("constituency_code"):
        parts.append(f"constituency {criteria['constituency_code']}")
    return ", ".join(parts) or "(no criteria)"
