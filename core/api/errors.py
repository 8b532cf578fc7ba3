"""One mapping from errors to API responses: `{"field": ["message"]}` for input
errors, `{"detail": "..."}` otherwise, with the status the error stands for."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        errors = exc.errors
        if len(errors) == 1 and None in errors and len(errors[None]) == 1:
            return Response({"detail": str(exc.message)}, status=exc.status_code)
        data = {("detail" if f is None else f): [str(m) for m in messages] for f, messages in errors.items()}
        return Response(data, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
            data = {("detail" if f == "__all__" else f): m for f, m in data.items()}
        else:
            data = {"detail": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(data)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        if isinstance(response.data, list):
            response.data = {"detail": response.data}
        elif "non_field_errors" in response.data:
            response.data["detail"] = response.data.pop("non_field_errors")
    if response is not None and response.status_code == status.HTTP_401_UNAUTHORIZED:
        response.data = {"detail": response.data.get("detail", "")}
    return response
