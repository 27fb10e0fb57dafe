"""A petition's support by place: counts by nation and constituency, "near me", the hex map and
the constituency CSV. Petitions count; geography knows the places (groundswell/geography).

`petition_area_context` and `petition_area_json` are what the petition page and JSON add.
"""

import csv

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groundswell.geography import hexmap
from groundswell.geography import queries as places
from groundswell.geography.forms import NearMeForm
from groundswell.geography.names import local_name
from groundswell.petitions.queries import get_visible_petition, signature_totals_by_area

SORT_COLUMNS = [("name", _("Constituency")), ("nation", _("Nation")), ("mp", _("MP")), ("signatures", _("Signatures"))]


def _petition_or_404(slug):
    petition = get_visible_petition(slug)
    if petition is None:
        raise Http404
    return petition


def _sort_headers(request, sort: str, anchor: str) -> list[dict]:
    """Column headers whose links sort the table (no script needed), with aria-sort."""
    current = sort.lstrip("-") if sort.lstrip("-") in places.SORT_KEYS else "signatures"
    descending = sort.startswith("-") if sort.lstrip("-") in places.SORT_KEYS else True
    headers = []
    for key, label in SORT_COLUMNS:
        is_current = key == current
        # A second click on the sorted column reverses it; numbers start largest first.
        next_sort = key if (is_current and descending) or (not is_current and key != "signatures") else f"-{key}"
        # Only the sort, from our own keys: never a copy of the query string, which would let one
        # request plant its parameters in a cached page's links for every later visitor.
        headers.append({
            "key": key, "label": label, "url": f"?sort={next_sort}#{anchor}",
            "aria_sort": ("descending" if descending else "ascending") if is_current else None,
            "numeric": key == "signatures",
        })
    return headers


def petition_area_context(request, petition) -> dict:
    """What the petition page shows about places: nations, constituencies, "near me"."""
    directory = places.constituency_directory()
    if not directory:  # no pack imported: one query, and nothing shown
        return {"geography_available": False}
    sort = places.checked_sort(request.GET.get("sort"))
    totals = signature_totals_by_area(petition)
    rows = places.constituency_rows(totals, sort=sort, directory=directory)
    return {
        "geography_available": True,
        "nation_rows": places.nation_rows(totals, rows),
        "constituency_rows": [row for row in rows if row["signatures"]],
        "sort_headers": _sort_headers(request, sort, "constituencies"),
        "table_open": "sort" in request.GET,
        "near_me_form": NearMeForm(),
    }


def petition_area_json(request, petition) -> dict:
    """Counts by constituency (every one, with its MP) and by nation, for the petition JSON."""
    directory = places.constituency_directory()
    if not directory:
        return {}
    totals = signature_totals_by_area(petition)
    rows = places.constituency_rows(totals, sort="name", directory=directory)
    return {
        "signatures_by_constituency": [
            {"code": row["code"], "name": row["name"], "nation": row["nation"], "mp": row["mp"], "signatures": row["signatures"]}
            for row in sorted(rows, key=lambda row: row["code"])
        ],
        "signatures_by_nation": places.nation_rows(totals, rows),
        "constituencies_csv": f"{settings.SITE_URL}{reverse('petitions:constituencies_csv', args=[petition.slug])}",
    }


def near_me(request, slug):
    """"How many people near me signed?": the answer has its own address (a GET form on the
    petition page sends the postcode here), so the petition page itself stays the same for
    everyone and can be cached. The postcode is not stored."""
    petition = _petition_or_404(slug)
    if not places.geography_available():
        return render(request, "geography/no_geography.html", {"petition": petition}, status=404)
    form = NearMeForm(request.GET if "near" in request.GET else None)
    answer = None
    if form.is_bound and form.is_valid():
        postcode = form.cleaned_data["near"]
        constituency = places.lookup_postcode(postcode)
        answer = {"postcode": postcode, "found": constituency is not None}
        if constituency is not None:
            row = places.constituency_directory().get(constituency.gss_code, {})
            totals = signature_totals_by_area(petition)
            answer.update(
                constituency=constituency,
                constituency_name=local_name({"name": constituency.name, "name_cy": constituency.name_cy}),
                mp=row.get("mp"),
                signatures=sum(n or 0 for country, code, n in totals if country == "GB" and code == constituency.gss_code),
            )
    return render(
        request,
        "geography/near_me.html",
        {"petition": petition, "campaign": petition.campaign, "near_me_form": form, "near_me": answer},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def petition_map(request, slug):
    petition = _petition_or_404(slug)
    if not places.geography_available():
        return render(request, "geography/no_geography.html", {"petition": petition}, status=404)
    sort = places.checked_sort(request.GET.get("sort"))
    totals = signature_totals_by_area(petition)
    rows = places.constituency_rows(totals, sort=sort)
    return render(
        request,
        "geography/petition_map.html",
        {
            "petition": petition,
            "campaign": petition.campaign,
            "map_svg": hexmap.render_hex_map(rows, title=gettext("Signatures by constituency: %(title)s") % {"title": petition.title}),
            "constituency_rows": rows,
            "nation_rows": places.nation_rows(totals, rows),
            "sort_headers": _sort_headers(request, sort, "constituencies"),
        },
    )


def petition_map_svg(request, slug):
    petition = _petition_or_404(slug)
    boundary_set = places.active_boundary_set()
    if boundary_set is None:
        raise Http404
    rows = places.constituency_rows(signature_totals_by_area(petition))
    svg = hexmap.render_hex_map(
        rows, title=gettext("Signatures by constituency: %(title)s") % {"title": petition.title}, standalone=True, attribution=boundary_set.attribution
    )
    response = HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{petition.slug}-map.svg"'
    return response


class _Echo:
    def write(self, value):
        return value


def constituencies_csv(request, slug):
    petition = _petition_or_404(slug)
    rows = places.constituency_rows(signature_totals_by_area(petition), sort="name") if places.geography_available() else []
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(["petition", "constituency_code", "constituency", "nation", "mp", "mp_party", "signatures"])
        for row in sorted(rows, key=lambda row: row["code"]):
            mp = row["mp"] or {}
            yield writer.writerow([petition.slug, row["code"], row["name"], row["nation"], mp.get("name", ""), mp.get("party", ""), row["signatures"]])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{petition.slug}-constituencies.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
