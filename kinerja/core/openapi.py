"""The OpenAPI document says what every operation may answer besides its success: the project's
error body (`ApiError`: detail, code, errors[field, message]) as the `default` response, a 401
where a login or token is needed, a 422 where the request carries parameters or a body, and the
`Idempotency-Key` header of every operation whose view reads it (`formkeys.header_key`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from .formkeys import HEADER

ERROR_SCHEMA: dict[str, Any] = {
    "title": "ApiError",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "Pesan untuk pengguna"},
        "code": {
            "type": "string",
            "description": "Kode tetap: invalid, unauthorized, forbidden, not_found, conflict, …",
        },
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["detail", "code", "errors"],
}
ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
IDEMPOTENCY_PARAMETER: dict[str, Any] = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "maxLength": 64},
    "description": "Kunci unik per objek baru: kiriman ulang dengan kunci dan isi yang sama "
    "menjawab dengan objek yang sama; isi lain dengan kunci itu: 409.",
}


def reads_idempotency_key(view: Callable[..., Any]) -> bool:
    """Whether the view function calls `header_key` (the name is in its code's names)."""
    code = getattr(view, "__code__", None)
    return code is not None and "header_key" in code.co_names


class KinerjaSchema(OpenAPISchema):
    def operation_details(self, operation: Operation) -> dict[str, Any]:
        result: dict[str, Any] = super().operation_details(operation)
        self.schemas.setdefault("ApiError", ERROR_SCHEMA)
        responses: dict[Any, Any] = result["responses"]
        if result.get("security"):
            responses.setdefault(
                401, {"description": "Perlu login atau token API yang sah", "content": ERROR_REF}
            )
        if result.get("parameters") or "requestBody" in result:
            responses.setdefault(
                422, {"description": "Data tidak valid (errors[] menyebut isiannya)",
                      "content": ERROR_REF},
            )  # fmt: skip
        responses.setdefault(
            "default",
            {"description": "Kesalahan lain: 400, 403, 404, 409, 413, 429", "content": ERROR_REF},
        )
        parameters: list[dict[str, Any]] = result.setdefault("parameters", [])
        named = {p.get("name") for p in parameters}
        if reads_idempotency_key(operation.view_func) and HEADER not in named:
            parameters.append(IDEMPOTENCY_PARAMETER)
        return result
