"""A tile-free choropleth of the 40 regions: one labelled square per region.

The layout is generated here from each region's capital (`core.Region.latitude` and
`longitude`): every country gets its own grid, each capital is snapped to the nearest
free cell, crowded ones (the Nile Delta) pushed to the closest cell left. No boundary
data is shipped, so no licence is needed and nothing is fetched. A map keeps its
geography in Arabic too (west stays left); its labels and legend follow the language.
"""

import math
from html import escape

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from impact.charts import TEXT, number

CELL, GAP = 64, 4
# Per country: the grid (columns, rows) and the box of capitals it covers (west, east, north, south).
GRIDS = {
    "EG": ((7, 8), (25.0, 34.5, 31.6, 23.5)),
    "SA": ((6, 6), (36.0, 50.5, 31.5, 16.5)),
}
COUNTRY_GAP = 1  # empty columns between Egypt and Saudi Arabia (the Red Sea)
SHADES = ["#e8f1ee", "#b9dacd", "#7fbfa8", "#3f9a7c", "#1f6f5c", "#0f4a3c"]  # none, then 5 classes


def _layout(regions: list, grid: tuple, box: tuple) -> dict:
    """{region code: (column, row)}, each capital in the nearest free cell."""
    (columns, rows), (west, east, north, south) = grid, box
    wanted = {}
    for region in regions:
        column = (region.longitude - west) / (east - west) * (columns - 1)
        row = (north - region.latitude) / (north - south) * (rows - 1)
        wanted[region.code] = (min(max(column, 0), columns - 1), min(max(row, 0), rows - 1))
    cells = [(c, r) for r in range(rows + 2) for c in range(columns + 1)]
    taken, placed = set(), {}
    # The most isolated capitals first: they keep their place, the crowded ones move.
    for code in sorted(wanted, key=lambda code: (-_isolation(code, wanted), code)):
        column, row = wanted[code]
        cell = min(
            (cell for cell in cells if cell not in taken), key=lambda c: (c[0] - column) ** 2 + (c[1] - row) ** 2
        )
        taken.add(cell)
        placed[code] = cell
    return placed


def _isolation(code: str, wanted: dict) -> float:
    x, y = wanted[code]
    return min((math.hypot(x - ox, y - oy) for other, (ox, oy) in wanted.items() if other != code), default=99)


def _short(name: str) -> str:
    for word in ("منطقة ", " Region", " Province"):
        name = name.replace(word, "")
    return name


def _lines(name: str) -> list[str]:
    words = name.split()
    if len(name) <= 10 or len(words) == 1:
        return [name]
    half = max(1, len(words) // 2)
    return [" ".join(words[:half]), " ".join(words[half:])]


def _shade(minutes: int, top: int) -> int:
    if minutes <= 0 or top <= 0:
        return 0
    return min(5, 1 + int(5 * minutes / (top + 1)))


def region_map(rows: list[dict], *, title: str, legend_title: str) -> SafeString:
    """`rows`: [{"region": Region, "minutes": int}] for every region."""
    english = not (translation.get_language() or "ar").startswith("ar")
    top = max((row["minutes"] for row in rows), default=0)
    offset, body, width, height = 0, [], 0, 0
    for country, (grid, box) in GRIDS.items():
        country_rows = [row for row in rows if row["region"].country == country]
        placed = _layout([row["region"] for row in country_rows], grid, box)
        used_columns = max((column for column, _row in placed.values()), default=0) + 1
        for row in country_rows:
            region = row["region"]
            column, line = placed[region.code]
            x, y = (offset + column) * (CELL + GAP), line * (CELL + GAP) + 24
            name = _short(region.name_en if english else region.name_ar)
            hours = number(row["minutes"] / 60)
            shade = _shade(row["minutes"], top)
            ink = "#ffffff" if shade >= 3 else TEXT
            label = "".join(
                f'<tspan x="{x + CELL / 2:.0f}" dy="{0 if index == 0 else 12}">{escape(part)}</tspan>'
                for index, part in enumerate(_lines(name))
            )
            body.append(
                f"<g><title>{escape(name)}: {escape(hours)}</title>"
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="4" fill="{SHADES[shade]}" '
                f'stroke="#ffffff" stroke-width="1"/>'
                f'<text x="{x + CELL / 2:.0f}" y="{y + 22}" text-anchor="middle" font-size="10" fill="{ink}">'
                f"{label}</text>"
                f'<text x="{x + CELL / 2:.0f}" y="{y + CELL - 8}" text-anchor="middle" font-size="11" '
                f'font-weight="bold" fill="{ink}">{escape(hours)}</text></g>'
            )
            width = max(width, x + CELL)
            height = max(height, y + CELL)
        offset += used_columns + COUNTRY_GAP
    legend_y = height + 16
    legend = [f'<text x="0" y="{legend_y + 12}" font-size="11" fill="{TEXT}">{escape(legend_title)}</text>']
    for index, shade in enumerate(SHADES):
        low = 0 if index == 0 else (index - 1) * top / 5 / 60
        x = 150 + index * 70
        legend.append(
            f'<rect x="{x}" y="{legend_y}" width="18" height="16" fill="{shade}" stroke="#8a9a95" stroke-width="0.5"/>'
            f'<text x="{x + 22}" y="{legend_y + 12}" font-size="10" fill="{TEXT}">'
            f"{escape(number(low) if index else number(0))}{'' if index == 0 else '+'}</text>"
        )
    total_height = legend_y + 24
    return mark_safe(  # noqa: S308 (every text inside went through escape())
        f'<svg class="vb-map" viewBox="-4 0 {max(width, 560) + 8} {total_height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-family="inherit">'
        f"<title>{escape(title)}</title>" + "".join(body) + "".join(legend) + "</svg>"
    )
