"""Schema post-processing: document the error responses every operation can give,
in the one error shape the API uses (`{"field": ["message"]}` or `{"detail": ...}`)."""

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


class SessionCookieScheme(OpenApiAuthenticationExtension):
    """The browser's session cookie (core.api.authentication.SessionAuthentication adds
    the staff second-factor rule to DRF's own), described as DRF's is."""

    target_class = "core.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
