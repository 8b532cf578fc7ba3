"""What every HTML form shares: a service's errors shown on the fields they name.

Templates render forms with `templates/forms/_form.html` (error summary linking to
each field, help and errors with the ids Django's `aria-describedby` points to)."""

from django import forms

from core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError, aliases: dict | None = None) -> None:
    """Show each of a service's errors on the field it names (or on the whole form)."""
    for field, messages in error.errors.items():
        name = (aliases or {}).get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, str(message))
