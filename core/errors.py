"""Domain errors raised by services.

Views turn them into form errors and the API into responses, in one place each
(`core.api.errors` for the API). `field` names the input at fault, or None for
an error about the whole request.
"""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """Input that breaks a rule; nothing was saved."""


class NotAllowed(DomainError):
    """The person may see the object but not do this to it."""

    status_code = 403


class StateConflict(DomainError):
    """The object is not in a state that allows this (a full need, a closed case)."""

    status_code = 409
