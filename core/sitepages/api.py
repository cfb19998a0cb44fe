"""The pages in the read-only API, at ``/api/v1/pages/`` and ``/api/v1/pages/<path>/``.

A page's detail carries its body as a list of blocks, each with the fields its kind uses:
rich text rendered for the caller (links to items they may see), links to items as the
items' public addresses, live lists as the listing's key (their items are in their own
endpoints). Only published pages under published parents are listed.
"""

from __future__ import annotations

import re

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers

from core.api.links import ApiLinkField
from core.api.serializers import ModelSerializer
from core.api.viewsets import ReadOnlyViewSet
from core.links import absolute_url

from .blocks import KINDS, Kind, prepare
from .models import Page

_PATH = re.compile(r"[-a-zA-Z0-9_]+(?:/[-a-zA-Z0-9_]+)*\Z")


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return absolute_url(value.get_absolute_url())


class PageSerializer(ModelSerializer):
    url = ApiLinkField("api:page-detail", lambda page: {"path": page.path}, lookup_field="path")
    page_url = PageUrlField()
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Page
        fields = [
            "url", "path", "title", "summary", "seo_title", "seo_description", "is_home",
            "parent", "order", "page_url", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.STR)
    def get_parent(self, page: Page) -> str | None:
        # A published page's parent is published (else the page is not listed at all).
        return page.parent.path if page.parent_id else None


class PageDetailSerializer(PageSerializer):
    blocks = serializers.SerializerMethodField()

    class Meta(PageSerializer.Meta):
        fields = [*PageSerializer.Meta.fields, "blocks"]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_blocks(self, page: Page) -> list[dict]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        shown = []
        for ready in prepare(list(page.blocks.all()), user, absolute=True):
            block = ready.block
            data: dict = {"kind": block.kind}
            for name in KINDS[block.kind].uses:
                if name in ("body", "link_item", "link_url", "items", "image"):
                    continue
                data[name] = getattr(block, name)
            if block.kind == Kind.TEXT:
                data["body"] = str(ready.body)
            if ready.link:
                data["link"] = absolute_url(ready.link)
            if block.image:
                data["image"] = absolute_url(block.image.url)
            if block.kind == Kind.ITEMS:
                data["items"] = [absolute_url(item.get_absolute_url()) for item in ready.items]
            shown.append(data)
        return shown


@extend_schema_view(
    list=extend_schema(summary="List the site's pages", tags=["pages"]),
    retrieve=extend_schema(
        summary="One page, with its blocks",
        tags=["pages"],
        parameters=[
            OpenApiParameter(
                "path", str, OpenApiParameter.PATH, description="The page's path: about/team"
            )
        ],
    ),
)
class PageViewSet(ReadOnlyViewSet):
    serializer_class = PageSerializer
    detail_serializer_class = PageDetailSerializer
    lookup_field = "path"
    search_fields = ["title"]
    ordering_fields = ["path", "title", "updated_at"]
    ordering = ["path"]

    def get_queryset(self):
        return Page.objects.published().select_related("parent")

    def get_object(self):
        if not _PATH.match(self.kwargs.get("path", "")):
            raise Http404
        return super().get_object()
