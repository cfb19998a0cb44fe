"""The API's front door: ``GET /api/v1/`` names every endpoint with its absolute address.

Like the root view of DRF's ``DefaultRouter``, so that a partner (or a crawler) can start
from one URL and find the rest; the list is built from the router itself, so an endpoint
added there appears here without a second edit.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from .viewsets import ApiViewMixin


def api_root_view(endpoints: dict[str, str]):
    """The root view for ``endpoints``: name (the path under the root) → URL name."""
    listing = {
        "type": "object",
        "properties": {name: {"type": "string", "format": "uri"} for name in endpoints},
        "required": list(endpoints),
    }

    class ApiRootView(ApiViewMixin, APIView):
        @extend_schema(
            summary="Every endpoint of the API, with its address",
            description=(
                "Names each list endpoint, the OpenAPI schema, the interactive docs and the "
                "open-data downloads, with absolute URLs. Submissions need a partner key."
            ),
            responses={200: OpenApiResponse(listing, description="Endpoint name → URL.")},
            tags=["root"],
        )
        def get(self, request):
            return Response(
                {
                    name: reverse(f"api:{url_name}", request=request)
                    for name, url_name in endpoints.items()
                }
            )

    return ApiRootView.as_view()
