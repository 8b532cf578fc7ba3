"""Responses held to the schema with no undeclared field: every object the schema
describes with `properties` is closed (`additionalProperties: false`) unless it says
what else it holds. The contract and fuzz tests check every response against it, so a
field the server adds without documenting it fails a test."""

import copy
import functools
import re

from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator


def strict(schema: dict) -> dict:
    schema = copy.deepcopy(schema)

    def close(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(schema.get("paths", {}))
    close(schema.get("components", {}))
    return schema


@functools.cache
def strict_schema() -> dict:
    return strict(SchemaGenerator().get_schema(request=None, public=True))


def _operation(method: str, path: str) -> dict:
    """The operation whose path template matches `path`, the most literal one first
    (`/charities/mine/` before `/charities/{id}/`)."""
    paths = strict_schema()["paths"]
    found = [
        (template.count("{"), operations[method.lower()])
        for template, operations in paths.items()
        if method.lower() in operations and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path)
    ]
    assert found, f"{method} {path} is not in the schema"
    return min(found, key=lambda pair: pair[0])[1]


def check_response(method: str, path: str, response) -> None:
    """Fail unless the schema documents this status for the operation and the JSON body
    fits its schema with no undeclared field."""
    operation = _operation(method, path.split("?", 1)[0])
    status = str(response.status_code)
    documented = operation["responses"].get(status)
    assert documented is not None, f"{method} {path} answered {status}, which the schema does not document"
    if not response.content or not response.get("Content-Type", "").startswith("application/json"):
        return
    schema = documented.get("content", {}).get("application/json", {}).get("schema")
    assert schema is not None, f"{method} {path} {status} has a JSON body the schema does not describe"
    validator = Draft202012Validator({**schema, "components": strict_schema()["components"]})
    errors = [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(response.json())
    ]
    assert not errors, f"{method} {path} {status} breaks its schema:\n" + "\n".join(errors[:10])
