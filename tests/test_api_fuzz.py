"""Schemathesis against the OpenAPI schema and a live server: no 5xx, no response
that breaks its schema. A bounded number of examples per operation keeps it to minutes.

Driven through schemathesis' Python API (its pytest plugin does not run on pytest 9)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = 25
# The targets: no 5xx, and every response as the schema documents it (status, type, body).
# Whether a server-side rule (the report rate limit, a full need) refuses a body the schema
# allows is business, not a contract break, so the acceptance checks are left out.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def fuzz(base_url: str, *, headers: dict | None = None) -> dict[str, str]:
    """Run every operation; return the failures by operation label."""
    schema = schemathesis.openapi.from_url(f"{base_url}/api/schema/?format=json")
    failures = {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # every kind of check failure is collected, then reported together
            failures[operation.label] = str(exc)[:2000]
    return failures


@pytest.mark.django_db(transaction=True)
def test_anonymous_calls_never_fail_on_the_server(live_server):
    assert fuzz(live_server.url) == {}
