"""Schema post-processing: document the error responses every operation can give,
in the one error shape the API uses (`{"field": ["message"]}` or `{"detail": ...}`),
and write nullable values so strict OpenAPI 3.0 validators and generators accept them."""

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
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": reference}}}
                )
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


def strict_nullable(result, generator, request, public):
    """OpenAPI 3.0.3 allows `nullable` only beside a `type`, and has no null type of its
    own: a nullable reference becomes `{type, nullable, allOf: [ref]}`, and the
    `NullEnum` choice of a nullable enum becomes `nullable` on the field."""
    components = result.get("components", {}).get("schemas", {})

    def target_type(schema):
        if "$ref" in schema:
            schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
        if "type" in schema:
            return schema["type"]
        if "enum" in schema:
            return "string" if all(isinstance(v, str) for v in schema["enum"] if v is not None) else None
        return None

    def fix(node):
        if isinstance(node, list):
            for item in node:
                fix(item)
            return
        if not isinstance(node, dict):
            return
        for key in ("oneOf", "anyOf"):
            choices = node.get(key)
            if choices and any(c.get("$ref", "").endswith("/NullEnum") for c in choices):
                node[key] = [c for c in choices if not c.get("$ref", "").endswith("/NullEnum")]
                node["nullable"] = True
                if len(node[key]) == 1:
                    node["allOf"] = node.pop(key)
        if node.get("nullable") and "type" not in node:
            parts = node.get("allOf") or node.get("oneOf") or node.get("anyOf") or []
            types = {target_type(part) for part in parts}
            if len(types) == 1 and None not in types:
                node["type"] = types.pop()
        if node.get("nullable") and "enum" in node and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
        for value in node.values():
            fix(value)

    fix(result.get("paths", {}))
    fix(components)
    components.pop("NullEnum", None)
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
