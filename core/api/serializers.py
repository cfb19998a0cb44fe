"""The API's model serializer: DRF's, with a lean read path for lists.

DRF's ``Serializer.to_representation`` walks every field's generic ``get_attribute`` and,
for each nested list, asks the related manager for ``.all()``: a fresh queryset (with its
``WHERE`` cloned) per item and relation, even when the rows were prefetched. In a list of
100 articles with their authors and topics that is most of the time spent outside SQL.

:class:`ModelSerializer` renders the same dict by a plan made once per serializer: model
fields read by plain attribute access, prefetched relations read from the prefetch cache,
everything else (methods, dotted sources, links) through the field as DRF does. Any item
the plan cannot render exactly (an unexpected exception) is rendered by DRF's own code.
The fields themselves are untouched, so the OpenAPI schema is the same.
"""

from __future__ import annotations

from django.db import models
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject


class LeanListSerializer(serializers.ListSerializer):
    """A nested or top-level list that reads prefetched rows without a queryset per item."""

    def get_attribute(self, instance):
        if len(self.source_attrs) == 1:
            cache = getattr(instance, "_prefetched_objects_cache", None)
            if cache:
                # Forward many-to-many and reverse foreign keys cache under the accessor's
                # name; anything else misses here and goes the usual way.
                rows = cache.get(self.source_attrs[0])
                if rows is not None:
                    return rows
        return super().get_attribute(instance)

    def to_representation(self, data):
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        represent = self.child.to_representation
        return [represent(row) for row in rows]


class ModelSerializer(serializers.ModelSerializer):
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "list_serializer_class"):
            meta.list_serializer_class = LeanListSerializer

    def _lean_plan(self) -> list[tuple[str, str | None, Field]]:
        """(key, attribute to read directly or None, field) for each readable field."""
        plan = self.__dict__.get("_lean_plan_cache")
        if plan is None:
            model = self.Meta.model
            concrete = {f.name for f in model._meta.concrete_fields}
            plan = []
            for field in self._readable_fields:
                direct = None
                if (
                    type(field).get_attribute is Field.get_attribute
                    and len(field.source_attrs) == 1
                    and field.source_attrs[0] in concrete
                ):
                    direct = field.source_attrs[0]
                plan.append((field.field_name, direct, field))
            self.__dict__["_lean_plan_cache"] = plan
        return plan

    def to_representation(self, instance):
        if not isinstance(instance, models.Model):
            return super().to_representation(instance)
        ret = {}
        try:
            for key, direct, field in self._lean_plan():
                if direct is not None:
                    value = check = getattr(instance, direct)
                else:
                    try:
                        value = field.get_attribute(instance)
                    except SkipField:
                        continue
                    check = value.pk if isinstance(value, PKOnlyObject) else value
                ret[key] = None if check is None else field.to_representation(value)
        except Exception:
            return super().to_representation(instance)
        return ret
