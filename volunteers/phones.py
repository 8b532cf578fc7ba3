"""Phone numbers: Egyptian (+20) and Saudi (+966) only, stored in E.164."""

import phonenumbers

from core.text import ascii_digits

COUNTRIES = ("EG", "SA")


def phone_normalize(value: str, *, default_country: str = "EG") -> str:
    """'٠١٠٠١٢٣٤٥٦٧', '0100 123 4567' or '+20 100 123 4567' to '+201001234567'.
    A local number is read in the volunteer's country. Raises ValueError when the
    number is not a real Egyptian or Saudi number."""
    text = ascii_digits(value or "").strip()
    try:
        number = phonenumbers.parse(text, default_country if default_country in COUNTRIES else "EG")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(value) from exc
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) not in COUNTRIES:
        raise ValueError(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
