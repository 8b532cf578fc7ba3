"""Domain errors raised by services.

Views turn them into form errors and the API into responses, in one place each
(`core.api.errors` for the API, `core.forms.add_domain_error` for forms). `field`
names the input at fault, or None for an error about the whole request.

A service that checks several inputs collects them with `InputProblems` and raises
one `InvalidInput` carrying them all, so a person sees every mistake after one submit
rather than one per try.
"""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> dict[str | None, list]:
        """Every message by field (None: the whole request)."""
        return {self.field: [self.message]}


class InvalidInput(DomainError):
    """Input that breaks a rule; nothing was saved."""

    def __init__(self, message, *, field: str | None = None, errors: dict | None = None):
        super().__init__(message, field=field)
        self._errors = errors

    @property
    def errors(self) -> dict[str | None, list]:
        return self._errors or super().errors


class InputProblems:
    """Collects a service's input errors; `raise_if_any()` raises them as one InvalidInput
    (its `message`/`field` are the first, for callers that show one)."""

    def __init__(self):
        self.errors: dict[str | None, list] = {}

    def add(self, message, *, field: str | None = None) -> None:
        self.errors.setdefault(field, []).append(message)

    def check(self, function, *args, default=None, **kwargs):
        """`function(*args, **kwargs)`, or `default` after recording its InvalidInput."""
        try:
            return function(*args, **kwargs)
        except InvalidInput as error:
            for field, messages in error.errors.items():
                for message in messages:
                    self.add(message, field=field)
            return default

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            field, messages = next(iter(self.errors.items()))
            raise InvalidInput(messages[0], field=field, errors=self.errors)


class NotAllowed(DomainError):
    """The person may see the object but not do this to it."""

    status_code = 403


class StateConflict(DomainError):
    """The object is not in a state that allows this (a full need, a closed case)."""

    status_code = 409
