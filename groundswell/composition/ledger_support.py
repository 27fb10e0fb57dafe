"""Who stands behind a ledger ask, for its email: the campaign's petitions, their counts, and
how many signers live in the target's area (the ledger offers the registry,
ledger.queries.ASK_SUPPORT_LINES; the ledger and petitions are in one layer and never import
each other, so composition joins them).

The area is the target's constituency for an MP (its reference code), and otherwise its nation
(a constituency's ONS code begins with its nation's letter: E, W, S, N).
"""

from django.utils.translation import gettext as _

from groundswell.petitions.queries import count_signatures, list_public_petitions, signature_totals_by_area

_NATION_LETTER = {"ENG": "E", "WLS": "W", "SCT": "S", "NIR": "N"}
_NATION_NAME = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}


def ask_support_lines(campaign, target) -> list[str]:
    lines = []
    for petition in list_public_petitions(campaign)[:3]:
        total = count_signatures(petition)
        if not total:
            continue
        lines.append(_("%(count)s people have signed the petition “%(title)s”.") % {"count": f"{total:,}", "title": petition.title})
        areas = signature_totals_by_area(petition)
        if target.kind == "mp" and target.reference_code:
            local = sum(n for _country, code, n in areas if code == target.reference_code)
            lines.append(_("%(count)s of them live in your constituency.") % {"count": f"{local:,}"})
        else:
            letter = _NATION_LETTER.get(target.nation, "E")
            local = sum(n for _country, code, n in areas if (code or "").startswith(letter))
            lines.append(_("%(count)s of them live in %(nation)s.") % {"count": f"{local:,}", "nation": _(_NATION_NAME.get(target.nation, "England"))})
    return lines
