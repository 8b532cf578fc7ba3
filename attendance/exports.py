"""Attested hours as CSV and XLSX for a charity's reports, one row per record.

CSV is UTF-8 with a byte-order mark, so Excel opens Arabic names intact; XLSX is
written by openpyxl with the sheet right to left when the reader's language is
Arabic. Headers are in the reader's language; values are as stored (names as the
volunteer wrote them, dates ISO 8601, local to the need's region).
"""

import csv
import io

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from attendance.models import HoursRecord


def headers() -> list[str]:
    return [
        _("Date"),
        _("Volunteer"),
        _("Volunteer number"),
        _("Minutes"),
        _("Hours"),
        _("Source"),
        _("Case"),
        _("Activity"),
        _("What was done"),
        _("National platform opportunity number"),
    ]


def rows(records) -> list[list]:
    english = (get_language() or "ar").startswith("en")
    out = []
    for record in records:
        need = record.need
        activity = record.activity_type
        out.append(
            [
                record.date.isoformat(),
                record.volunteer.display_name,
                record.volunteer_id,
                record.minutes,
                round(record.minutes / 60, 2),
                str(HoursRecord.Source(record.source).label),
                need.case.title if need else "",
                (activity.name_en if english else activity.name_ar) if activity else "",
                record.description,
                need.national_opportunity_number if need else "",
            ]
        )
    return out


def as_csv(records) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    writer.writerows(rows(records))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(records, *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31] or "hours"
    sheet.sheet_view.rightToLeft = not (get_language() or "ar").startswith("en")
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(records):
        sheet.append(row)
    for column, width in zip("ABCDEFGHIJ", (12, 28, 10, 9, 8, 22, 36, 20, 40, 18), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
