"""The demo's geography: import the shared pack when it is there, and real constituencies for
demo signatures. Without a pack the demo (and the site) works, without constituency features."""

import random

from django.db.models import Count

from groundswell.geography import actions, queries
from groundswell.geography.models import Postcode
from groundswell.geography.packs import PackError, configured_pack_directory


def load_demo_geography() -> str:
    """Import the pack once (not again if a boundary set is active); say what happened."""
    if queries.geography_available():
        return "UK geography: already loaded."
    pack = configured_pack_directory()
    if not (pack / "constituencies.csv").exists():
        return f"UK geography: no pack at {pack.resolve()}; the demo runs without constituencies (set GROUNDSWELL_GEOGRAPHY_PACK)."
    try:
        report = actions.import_pack(directory=pack)
    except PackError as error:
        return f"UK geography: the pack at {pack} could not be imported, so the demo runs without constituencies. {error}"
    return f"UK geography: imported {report.postcodes.created:,} postcodes from {pack} in {report.seconds:.0f} s."


def demo_constituency_codes(rng: random.Random, count: int) -> list[str]:
    """Constituency codes for `count` demo signatures, each constituency as likely as its share of
    real postcodes (so populous places get more, as in life); empty without geography data."""
    active = queries.active_boundary_set()
    if active is None:
        return []
    weights = dict(
        Postcode.objects.filter(boundary_set=active)
        .values("constituency__gss_code")
        .annotate(n=Count("postcode"))
        .order_by()
        .values_list("constituency__gss_code", "n")
    )
    codes = sorted(weights) or sorted(queries.constituency_directory())
    if not codes:
        return []
    return rng.choices(codes, weights=[weights.get(code, 1) for code in codes], k=count)
