"""How API lists are cut into pages."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

# ---------------------------------------------------------------------------
# Pagination


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most ``max_page_size``); a bad size is a 400."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"] = {"type": "integer", "minimum": 1}
                param["description"] = (
                    f"Results per page (default {self.page_size}, at most {self.max_page_size})."
                )
            if param["name"] == self.page_query_param:
                param["schema"] = {"type": "integer", "minimum": 1}
        return params
