"""How API lists are cut into pages.

Every page carries the list's ``count``. On a large list that count (a ``COUNT(*)`` over
every matching row) costs more than the page itself, so a count of ``COUNT_CACHE_FROM``
rows or more is kept for ``COUNT_CACHE_SECONDS`` in the cache, keyed by the exact query
(filters, search and the caller's visibility included): for that long, the count of a list
of thousands may lag one publication behind its pages. Smaller counts are always exact.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

COUNT_CACHE_FROM = 1000
COUNT_CACHE_SECONDS = 60


class CountCachingPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        key = self._count_key()
        if key is not None and (cached := cache.get(key)) is not None:
            return cached
        count = super().count
        if key is not None and count >= COUNT_CACHE_FROM:
            cache.set(key, count, COUNT_CACHE_SECONDS)
        return count

    def _count_key(self) -> str | None:
        query = getattr(self.object_list, "query", None)
        if query is None:
            return None
        try:
            sql, params = query.sql_with_params()
        except EmptyResultSet:
            return None  # an empty or unusual query: count it every time
        digest = hashlib.sha256(f"{query.model._meta.label}|{sql}|{params!r}".encode()).hexdigest()
        return f"api-count:{digest}"


# ---------------------------------------------------------------------------
# Pagination


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most ``max_page_size``); a bad size is a 400."""

    django_paginator_class = CountCachingPaginator
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
