"""A charity's impact on one A4 page: the stack and fonts of the certificates."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from attendance.certificates import font_faces
from impact import figures


def impact_pdf(found: dict, *, language: str) -> bytes:
    """The headline figures, the hours chart and the top activities, in the reader's language."""
    from weasyprint import HTML

    with translation.override(language):
        charts = figures.charity_charts(found)
        context = {
            "charity": found["charity"],
            "case": found["case"],
            "period_label": figures.period_label(found["period"]),
            "headline": figures.charity_headline(found),
            # Bars drawn by the HTML (WeasyPrint shapes Arabic in HTML text, not in SVG text).
            "charts": [charts["hours"], charts["volunteers"], charts["activities"], charts["regions"]],
            "font_faces": font_faces(),
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
        }
        html = render_to_string("impact/impact_pdf.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
