"""Loads the shipped reference data (regions, activity types, skills) from CSV.

Used by the data migration, so a new database has it without a command; running
it again updates names and adds new rows, never duplicates."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reference_data_load(*, region_model, activity_type_model, skill_model) -> None:
    for row in _rows("regions.csv"):
        region_model.objects.update_or_create(
            code=row["iso_code"],
            defaults={
                "country": row["country_code"],
                "name_ar": row["name_ar"],
                "name_en": row["name_en"],
                "capital_ar": row["capital_ar"],
                "capital_en": row["capital_en"],
                "latitude": float(row["lat"]),
                "longitude": float(row["lon"]),
                "timezone": row["timezone"],
            },
        )
    for position, row in enumerate(_rows("activity_types.csv")):
        activity_type_model.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name_ar": row["name_ar"],
                "name_en": row["name_en"],
                "note": row.get("note", ""),
                "position": position,
            },
        )
    for position, row in enumerate(_rows("skills.csv")):
        skill_model.objects.update_or_create(
            slug=row["slug"],
            defaults={"name_ar": row["name_ar"], "name_en": row["name_en"], "position": position},
        )
