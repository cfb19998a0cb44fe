"""The OpenAPI schema: the error responses every operation can give."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from . import idempotency
from .errors import ErrorSerializer
from .permissions import CanSubmit

# ---------------------------------------------------------------------------
# Schema


class ApiSchema(AutoSchema):
    """Adds the error responses every operation can give, in the shared error body, and the
    ``Idempotency-Key`` header where an action honours it."""

    def _is_idempotent(self) -> bool:
        action = getattr(self.view, "action", None)
        handler = getattr(self.view, action, None) if action else None
        return bool(getattr(handler, "idempotent", False))

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_idempotent():
            parameters.append(
                OpenApiParameter(
                    idempotency.HEADER,
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    required=False,
                    description=idempotency.HEADER_DESCRIPTION,
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {"429": "Too many requests: wait for the seconds in Retry-After."}
        errors["401"] = "The API key is missing (where one is needed), unknown, revoked or expired."
        method = self.method.upper()
        action = getattr(self.view, "action", None)
        if method in ("GET", "HEAD"):
            responses.setdefault(
                "304", {"description": "Not modified since If-None-Match/If-Modified-Since."}
            )
        if action == "list" or method in ("POST", "PUT", "PATCH"):
            errors["400"] = (
                "A parameter or field is not valid (see error.fields), the body is not JSON, "
                "or it nests lists and objects more than 32 deep."
            )
        if method in ("POST", "PUT", "PATCH"):
            errors["413"] = "The request body is over the size limit (5 MiB by default)."
        if self._is_idempotent():
            errors["422"] = "The Idempotency-Key was already used with a different request."
        if action == "list":
            errors["404"] = "No such page of results."
        elif "{" in self.path:  # only an address naming an item can miss it
            errors["404"] = "No such item, or not visible to this caller."
        for permission in self.view.get_permissions():
            if isinstance(permission, CanSubmit) and permission.forbids(method):
                errors["403"] = permission.forbidden_description
        if method in ("PUT", "PATCH", "DELETE"):
            errors["409"] = "The submission has been published or rejected and cannot change."
        success = {
            "200": "A page of items." if action == "list" else "The item.",
            "201": "Created, in review.",
            "204": "Withdrawn.",
        }
        for code, response in responses.items():
            if not response.get("description"):
                response["description"] = success.get(code, "OK.")
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code
                )
        return responses
