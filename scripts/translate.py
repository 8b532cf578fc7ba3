"""Fill Arabic translations into locale/ar from a JSON file of {msgid: msgstr},
or from another catalogue (a branch's django.po, when merging).

    python scripts/translate.py translations.json
    python scripts/translate.py other/django.po

Entries already translated are kept unless the file gives a new text; fuzzy
flags are cleared for the entries it fills. Used when adding strings in bulk.
"""

import json
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def main(*paths: str) -> None:
    for path in paths:
        fill(path)


def fill(path: str) -> None:
    if path.endswith(".po"):
        texts = {
            e.msgid: (e.msgstr or [e.msgstr_plural[k] for k in sorted(e.msgstr_plural)]) for e in polib.pofile(path)
        }
        texts = {k: v for k, v in texts.items() if v and v != [""] * len(v)}
    else:
        texts = json.loads(Path(path).read_text(encoding="utf-8"))
    po = polib.pofile(str(CATALOGUE))
    po.metadata.update(
        {
            "Language": "ar",
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": (
                "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
            ),
        }
    )
    for entry in po:
        if entry.msgid in texts:
            value = texts[entry.msgid]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value] * 6
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    print(f"{len(missing)} untranslated", *missing[:30], sep="\n  ")


if __name__ == "__main__":
    main(*sys.argv[1:])
