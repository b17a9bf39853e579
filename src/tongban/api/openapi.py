"""Documents the problem+json answers in the OpenAPI document, once for every operation, so integrators (and
schema-driven tests) see which errors an operation can give and what they look like."""

from __future__ import annotations

from typing import Any

PROBLEM = "application/problem+json"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details. Branch on `code` (stable); `title` and `detail` are translated "
                   "(Accept-Language). See docs/api.md for the table of codes.",
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "description": "https://tongban.dev/problems/<code>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "stable machine-readable code, e.g. validation_failed"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "the request path"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ProblemFieldError"}},
    },
    "additionalProperties": True,
}
FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "title": "ProblemFieldError",
    "type": "object",
    "required": ["field", "message", "code"],
    "properties": {
        "field": {"type": "string", "description": "dotted path of the field, e.g. form.household_size"},
        "message": {"type": "string", "description": "translated, for people"},
        "code": {"type": "string", "description": "stable, e.g. type, required, enum, too_long"},
    },
}

WHY = {
    "400": "Malformed request (`invalid_json`, `invalid_characters`, `invalid_multipart`)",
    "401": "Not signed in (`unauthenticated`, `invalid_credentials`)",
    "403": "CSRF token missing or wrong (`csrf_failed`), or not allowed (`forbidden`)",
    "404": "No such resource, or not yours (`not_found`, `application_not_found`, …)",
    "409": "Not possible in the current state (`invalid_state_change`, `idempotency_in_flight`, …)",
    "413": "Request body or upload too large (`request_too_large`)",
    "422": "Invalid input; `errors` lists each bad field (`validation_failed`, `invalid_cursor`, …)",
    "default": "Unexpected error (`internal_error`)",
}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answers(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    codes = ["400"]
    secured = bool(operation.get("security"))
    if secured or path.endswith("/auth/login"):
        codes.append("401")
    if secured:
        codes.append("403")
    if "{" in path or method != "get":
        codes.append("404")
    if method != "get" and "{" in path:
        codes.append("409")
    if "requestBody" in operation:
        codes.append("413")
    if operation.get("parameters") or "requestBody" in operation:
        codes.append("422")
    return [*codes, "default"]


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Problem", PROBLEM_SCHEMA)
    components.setdefault("ProblemFieldError", FIELD_ERROR_SCHEMA)
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code in _answers(path, method, operation):
                existing = responses.get(code)
                if existing is None or PROBLEM not in existing.get("content", {}):
                    responses[code] = {"description": WHY[code],
                                       "content": {PROBLEM: {"schema": _ref("Problem")}}}
    return schema
