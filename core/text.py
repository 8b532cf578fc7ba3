"""Text normalisation shared by forms, the API and search."""

import re

# Arabic-Indic (U+0660..) and Eastern Arabic / Persian (U+06F0..) digits to ASCII.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # tashkeel + tatweel
_ARABIC_FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})


def ascii_digits(value: str) -> str:
    """Typed numbers arrive in Arabic-Indic or Persian digits as often as in ASCII."""
    return value.translate(_DIGITS).replace("٫", ".").replace("٬", ",").replace("،", ",")


def normalize_arabic(value: str) -> str:
    """Fold the spellings people mix (alef forms, ta marbuta, alef maqsura) and drop
    diacritics and tatweel, so search and duplicate detection compare like with like."""
    value = _DIACRITICS.sub("", ascii_digits(value))
    return " ".join(value.translate(_ARABIC_FOLDS).lower().split())


_INDIC = str.maketrans("0123456789.,", "٠١٢٣٤٥٦٧٨٩٫٬")


def local_digits(value, language: str | None = None) -> str:
    """Numbers as the reader writes them: Arabic-Indic digits (and ٫ ٬) in Arabic.
    Django's l10n localises separators but keeps ASCII digits, so charts and tables
    that must read as Arabic pass through here."""
    from django.utils import translation

    text = str(value)
    language = language or translation.get_language() or "ar"
    return text.translate(_INDIC) if language.startswith("ar") else text
