"""Geography's own page: where the data comes from. A petition's counts by area, its map and its
constituency CSV are petitions' pages (petitions/areas.py), drawn with geography's queries."""

from django.shortcuts import render

from groundswell.geography import queries
from groundswell.geography.packs import DEFAULT_ATTRIBUTION


def credits(request):
    boundary_set = queries.active_boundary_set()
    attribution = boundary_set.attribution if boundary_set else DEFAULT_ATTRIBUTION
    return render(request, "geography/credits.html", {"boundary_set": boundary_set, "attribution_lines": attribution.splitlines()})
