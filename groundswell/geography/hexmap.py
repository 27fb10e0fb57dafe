"""The hex cartogram: 650 constituencies as equal hexagons, drawn on the server as SVG.

Positions come from the pack's hex_q/hex_r, in HexJSON's "odd-r" layout: pointy-topped hexes in
rows, odd rows pushed half a hex to the right; r grows northwards, so it is drawn upside down.
Colours are SVG presentation attributes (fill=), not style="" (which the CSP forbids), so the
same markup works inside a page and as a downloaded file.
"""

import math
import textwrap
from html import escape

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from groundswell.geography.names import local_name

HEX_SIZE = 8  # centre to corner
HEX_WIDTH = math.sqrt(3) * HEX_SIZE
ROW_HEIGHT = 1.5 * HEX_SIZE
MARGIN = 10
LEGEND_WIDTH = 170
NO_SIGNATURES_COLOUR = "#ffffff"  # white, outlined: clearly apart from the lightest blue
# A sequential blue scale (ColorBrewer "Blues"), light to dark, each step distinct from the last.
SHADES = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
STROKE = "#6f777b"


def shade_bands(maximum: int) -> list[tuple[int, int, str]]:
    """(low, high, colour) bands covering 1..maximum, as even as whole numbers allow."""
    if maximum <= 0:
        return []
    steps = min(len(SHADES), maximum)
    bands, low = [], 1
    for i in range(steps):
        high = math.ceil(maximum * (i + 1) / steps)
        if high >= low:
            bands.append((low, high, SHADES[i + len(SHADES) - steps]))
            low = high + 1
    return bands


def colour_for(count: int, bands) -> str:
    if count <= 0:
        return NO_SIGNATURES_COLOUR
    for low, high, colour in bands:
        if low <= count <= high:
            return colour
    return bands[-1][2]


def _hex_points(cx: float, cy: float) -> str:
    corners = []
    for i in range(6):
        angle = math.radians(60 * i - 30)
        corners.append(f"{cx + HEX_SIZE * math.cos(angle):.1f},{cy + HEX_SIZE * math.sin(angle):.1f}")
    return " ".join(corners)


def _label(row) -> str:
    count = row["signatures"]
    return ngettext("%(name)s: %(number)s signature", "%(name)s: %(number)s signatures", count) % {
        "name": local_name(row), "number": intcomma(count),
    }


def render_hex_map(rows: list[dict], *, title: str, standalone: bool = False, attribution: str = "") -> str:
    """SVG markup for constituency rows (each with name, code, hex_q, hex_r, signatures).

    In the page, each hex is an image named for screen readers (aria-label and a <title> for
    pointer users); the table beside it is the full text alternative.
    """
    placed = [row for row in rows if row.get("hex_q") is not None and row.get("hex_r") is not None]
    if not placed:
        return ""
    min_q = min(row["hex_q"] for row in placed)
    max_q = max(row["hex_q"] for row in placed)
    min_r = min(row["hex_r"] for row in placed)
    max_r = max(row["hex_r"] for row in placed)
    map_width = (max_q - min_q + 1.5) * HEX_WIDTH
    bands = shade_bands(max((row["signatures"] for row in placed), default=0))
    # Tall enough for the legend too (its title and a row for "None" and each band): a map of a
    # few constituencies is shorter than its key.
    legend_height = 24 + (len(bands) + 1) * 22
    height = max((max_r - min_r) * ROW_HEIGHT + 2 * HEX_SIZE, legend_height) + 2 * MARGIN
    width = map_width + 2 * MARGIN + LEGEND_WIDTH
    # Wrapped to the drawing's width (a 9 px character is about 5 px wide).
    credit_lines = [part for line in attribution.splitlines() for part in textwrap.wrap(line, int(width // 5.2))] if standalone else []
    height += 14 * len(credit_lines)

    out = []
    namespace = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    size = f' width="{width:.0f}" height="{height:.0f}"' if standalone else ""
    out.append(
        f'<svg{namespace}{size} viewBox="0 0 {width:.0f} {height:.0f}" class="hex-map" role="group" '
        f'aria-labelledby="hex-map-title">'
    )
    out.append(f'<title id="hex-map-title">{escape(title)}</title>')
    if standalone:
        out.append(f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>')
    out.append(f'<g stroke="{STROKE}" stroke-width="0.6">')
    for row in sorted(placed, key=lambda r: r["name"]):
        q, r = row["hex_q"], row["hex_r"]
        cx = MARGIN + (q - min_q) * HEX_WIDTH + HEX_WIDTH / 2 + (HEX_WIDTH / 2 if r % 2 else 0)
        cy = MARGIN + HEX_SIZE + (max_r - r) * ROW_HEIGHT
        label = escape(_label(row))
        out.append(
            f'<polygon points="{_hex_points(cx, cy)}" fill="{colour_for(row["signatures"], bands)}" '
            f'role="img" aria-label="{label}" data-code="{escape(row["code"])}" data-signatures="{row["signatures"]}">'
            f"<title>{label}</title></polygon>"
        )
    out.append("</g>")
    # Legend, inside the SVG so that the downloaded file carries it.
    x = MARGIN + map_width + 10
    out.append('<g class="hex-map-legend" font-family="DejaVu Sans, Arial, sans-serif" font-size="12" fill="#1b1b1b" aria-hidden="true">')
    out.append(f'<text x="{x:.0f}" y="{MARGIN + 12}" font-weight="bold">{escape(gettext("Signatures"))}</text>')
    legend = [(NO_SIGNATURES_COLOUR, gettext("None"))] + [
        (colour, f"{intcomma(low)}" if low == high else gettext("%(low)s to %(high)s") % {"low": intcomma(low), "high": intcomma(high)})
        for low, high, colour in bands
    ]
    for i, (colour, text) in enumerate(legend):
        y = MARGIN + 24 + i * 22
        out.append(f'<rect x="{x:.0f}" y="{y}" width="16" height="16" fill="{colour}" stroke="{STROKE}"/>')
        out.append(f'<text x="{x + 24:.0f}" y="{y + 13}">{escape(text)}</text>')
    for i, line in enumerate(credit_lines):
        y = height - MARGIN - 14 * (len(credit_lines) - 1 - i)
        out.append(f'<text x="{MARGIN}" y="{y:.0f}" font-size="9">{escape(line)}</text>')
    out.append("</g></svg>")
    return mark_safe("".join(out))

