"""Serializer fields that later apps add to an earlier app's API (``core.registry.add_api_field``).

A serializer with ``RegisteredFieldsMixin`` shows, after its own fields, the fields other
apps registered for its model; the viewset loads them with ``registry.api_prefetches``.
"""

from __future__ import annotations

from core import registry


class RegisteredFieldsMixin:
    def get_fields(self):
        fields = super().get_fields()
        for api_field in registry.api_fields(self.Meta.model):
            fields[api_field.name] = api_field.field()
        return fields
