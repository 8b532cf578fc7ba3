"""The registry of a person's export sections and anonymisers.

It lives in this leaf so every app can add its part from its AppConfig.ready()
without importing another app; `volunteers.privacy` runs them
(`account_export`, `account_delete`) and re-exports the two functions below.
"""

from collections.abc import Callable
from typing import Any

ExportSection = Callable[[Any], Any]
Anonymiser = Callable[[Any], None]

EXPORT_SECTIONS: list[tuple[str, ExportSection]] = []
ANONYMISERS: list[Anonymiser] = []


def export_section_register(name: str, section: ExportSection) -> None:
    """Add a section to every export (idempotent by name)."""
    EXPORT_SECTIONS[:] = [(n, s) for n, s in EXPORT_SECTIONS if n != name]
    EXPORT_SECTIONS.append((name, section))


def anonymiser_register(anonymiser: Anonymiser, *, first: bool = False) -> None:
    """Add a step to every account deletion (idempotent). `first` runs it before the
    profile is emptied: for work that still needs the person as they were (cancelling
    their commitments and telling the charities)."""
    if anonymiser not in ANONYMISERS:
        if first:
            ANONYMISERS.insert(0, anonymiser)
        else:
            ANONYMISERS.append(anonymiser)
