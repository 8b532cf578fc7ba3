"""The last step of erasing a person: whatever the targeted anonymisers missed.

Copies of a person's email and phone end up in places nobody lists: another
person's notification context, a webhook payload, a digest, a case's private
details written from their report. Instead of a list that goes stale, this
walks every text and JSON column of every model (introspected, so a column
added tomorrow is covered too) and replaces:
- the email and the phone (any written form ending in its national number)
  wherever they appear, in text and in JSON;
- the name only where a JSON value *is* the name (`volunteer_name`,
  `inviter_name`): a name is too common a word to cut out of free text, so free
  text that belongs to the person is emptied by their own app's anonymiser.
Rows are found with one `icontains` query per column and rewritten one by one.
"""

import json
import re
from dataclasses import dataclass, field

import phonenumbers
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import Q

ERASED = "—"
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


@dataclass
class Identifiers:
    """What identifies a person, captured before the anonymisers empty it."""

    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)  # national significant numbers, digits only
    names: set[str] = field(default_factory=set)

    def add_email(self, email: str) -> None:
        if email and "@" in email:
            self.emails.add(email.strip().lower())

    def add_phone(self, phone: str) -> None:
        digits = re.sub(r"\D", "", phone or "")
        if not digits:
            return
        try:
            number = phonenumbers.parse(phone if phone.startswith("+") else f"+{digits}")
            national = str(number.national_number)
        except phonenumbers.NumberParseException:
            national = digits.lstrip("0")
        if len(national) >= 7:
            self.phones.add(national)

    def add_name(self, name: str) -> None:
        name = " ".join((name or "").split())
        if len(name) >= 2:
            self.names.add(name)

    def terms(self) -> list[str]:
        """What to look for; names also in the form JSON escapes them to (SQLite)."""
        escaped = {json.dumps(name)[1:-1] for name in self.names}
        return sorted(self.emails | self.phones | self.names | escaped)

    def scrub_text(self, text: str) -> str:
        # Bounded, so another person's "aa@b.org" or a longer number is left alone.
        for email in self.emails:
            text = re.sub(r"(?<![\w.+-])" + re.escape(email) + r"(?![\w-])", ERASED, text, flags=re.IGNORECASE)
        for national in self.phones:
            text = re.sub(r"(?<!\d)(?:\+?\d{1,3}[\s-]?)?0?" + re.escape(national) + r"(?!\d)", ERASED, text)
        return text

    def scrub_json(self, value):
        if isinstance(value, dict):
            return {key: self.scrub_json(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.scrub_json(item) for item in value]
        if isinstance(value, str):
            if " ".join(value.split()).casefold() in {name.casefold() for name in self.names}:
                return ERASED
            return self.scrub_text(value)
        return value


def text_columns():
    """(model, field) for every concrete text or JSON column of every model."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for column in model._meta.concrete_fields:
            if isinstance(column, TEXT_FIELDS) and not column.primary_key:
                yield model, column


def erase_everywhere(identifiers: Identifiers) -> int:
    """Replace the person's identifiers in every text and JSON column. Call it
    inside the deletion's transaction, after the targeted anonymisers. Returns
    the number of values changed."""
    terms = identifiers.terms()
    if not terms:
        return 0
    changed = 0
    for model, column in text_columns():
        is_json = isinstance(column, models.JSONField)
        query = Q()
        for term in terms:
            if not is_json and term in identifiers.names:
                continue
            query |= Q(**{f"{column.name}__icontains": term})
        if not query:
            continue
        for pk, value in model._default_manager.filter(query).values_list("pk", column.name):
            new = identifiers.scrub_json(value) if is_json else identifiers.scrub_text(str(value))
            if new == value:
                continue
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=pk).update(**{column.name: new})
            except IntegrityError:  # a unique column: the row's own id keeps it unique
                with transaction.atomic():
                    model._default_manager.filter(pk=pk).update(**{column.name: f"{ERASED}{pk}"})
            changed += 1
    return changed
