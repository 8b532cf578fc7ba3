"""Schema post-processing: document the error responses every operation can give,
in the one error shape the API uses (`{"field": ["message"]}` or `{"detail": ...}`),
and one spelling of null (OpenAPI 3.1's) for strict validators and generators."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for an error about the whole request, or one key per field at fault.",
    "properties": {
        "detail": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    },
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
}
ERRORS = {
    "400": "Invalid input; nothing was saved.",
    "401": "No valid session token or session.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Not found, or not visible to you.",
    "405": "Method not allowed.",
    "409": "The object's state does not allow this (for example, a full need).",
    "413": "The request body is too large.",
    "415": "Unsupported content type.",
    "429": "Too many requests; try again later.",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code.startswith("4") and "content" not in response:  # a view's own words, the one shape
                    response["content"] = {"application/json": {"schema": reference}}
    return result


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.SessionTokenAuthentication"
    name = "sessionToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": "The `meta.session_token` from `POST /_allauth/app/v1/auth/login` or `/signup`.",
        }


def nullable_as_null_type(result, generator, request, public):
    """The schema is OpenAPI 3.1, where null is a JSON Schema type and `nullable` no
    longer exists: rewrite the few `nullable` left by hand-written field schemas, and
    drop the `NullEnum` choice, so strict validators and generators read one spelling."""

    def fix(node):
        if isinstance(node, list):
            for item in node:
                fix(item)
            return
        if not isinstance(node, dict):
            return
        if node.pop("nullable", False):
            if isinstance(node.get("type"), str):
                node["type"] = [node["type"], "null"]
                if "enum" in node and None not in node["enum"]:
                    node["enum"] = [*node["enum"], None]
            elif "type" not in node:
                choices = [{"allOf": node.pop("allOf")}] if "allOf" in node else node.pop("oneOf", [])
                node["oneOf"] = [*choices, {"type": "null"}] if choices else [{}, {"type": "null"}]
        for value in node.values():
            fix(value)

    fix(result.get("paths", {}))
    fix(result.get("components", {}).get("schemas", {}))
    return result


def require_bodies(result, generator, request, public):
    """A body whose every form has required fields is itself required: say so, or
    generated clients offer to send none (and some fail to import over it)."""
    components = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not body:
                continue
            forms = [content.get("schema", {}) for content in body.get("content", {}).values()]
            resolved = [components.get(f["$ref"].rsplit("/", 1)[-1], {}) if "$ref" in f else f for f in forms]
            if resolved and all(schema.get("required") for schema in resolved):
                body["required"] = True
    return result
