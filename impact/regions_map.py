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

CELL, GAP = 66, 4
# Per country: the grid (columns, rows) and the box of capitals it covers (west, east, north, south).
GRIDS = {
    "EG": ((7, 8), (25.0, 34.5, 31.6, 23.5)),
    "SA": ((6, 6), (36.0, 50.5, 31.5, 16.5)),
}
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
    """ "منطقة الرياض" → "الرياض", "Riyadh Region" → "Riyadh" (the square is small)."""
    name = name.removeprefix("منطقة ")
    for suffix in (" Region", " Province"):
        name = name.removesuffix(suffix)
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


def region_maps(rows: list[dict], *, title: str) -> list[SafeString]:
    """One SVG per country (side by side on a desktop, stacked on a phone), from
    `rows`: [{"region": Region, "minutes": int}] for every region."""
    english = not (translation.get_language() or "ar").startswith("ar")
    top = max((row["minutes"] for row in rows), default=0)
    maps = []
    for country, (grid, box) in GRIDS.items():
        country_rows = [row for row in rows if row["region"].country == country]
        placed = _layout([row["region"] for row in country_rows], grid, box)
        body, width, height = [], 0, 0
        for row in country_rows:
            region = row["region"]
            column, line = placed[region.code]
            x, y = column * (CELL + GAP), line * (CELL + GAP)
            name = _short(region.name_en if english else region.name_ar)
            hours = number(row["minutes"] / 60)
            shade = _shade(row["minutes"], top)
            ink = "#ffffff" if shade >= 3 else TEXT
            label = "".join(
                f'<tspan x="{x + CELL / 2:.0f}" dy="{0 if index == 0 else 13}">{escape(part)}</tspan>'
                for index, part in enumerate(_lines(name))
            )
            body.append(
                f"<g><title>{escape(name)}: {escape(hours)}</title>"
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="4" fill="{SHADES[shade]}" '
                f'stroke="#ffffff" stroke-width="1"/>'
                f'<text x="{x + CELL / 2:.0f}" y="{y + 20}" text-anchor="middle" font-size="11" fill="{ink}">'
                f"{label}</text>"
                f'<text x="{x + CELL / 2:.0f}" y="{y + CELL - 7}" text-anchor="middle" font-size="13" '
                f'font-weight="bold" fill="{ink}">{escape(hours)}</text></g>'
            )
            width, height = max(width, x + CELL), max(height, y + CELL)
        country_title = f"{title} · {country_rows[0]['region'].get_country_display()}" if country_rows else title
        maps.append(
            mark_safe(  # noqa: S308 (every text inside went through escape())
                f'<svg class="vb-map" viewBox="0 0 {width} {height}" role="img" '
                f'aria-label="{escape(country_title)}" xmlns="http://www.w3.org/2000/svg" direction="ltr" '
                f'font-family="inherit"><title>{escape(country_title)}</title>' + "".join(body) + "</svg>"
            )
        )
    return maps


def legend(rows: list[dict]) -> list[dict]:
    """The shades and the hours each starts at, for the HTML legend under the maps."""
    top = max((row["minutes"] for row in rows), default=0)
    entries = [{"colour": SHADES[0], "label": number(0)}]
    for index in range(1, len(SHADES)):
        entries.append({"colour": SHADES[index], "label": number((index - 1) * top / 5 / 60) + "+"})
    return entries
