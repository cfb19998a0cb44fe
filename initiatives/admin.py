"""The editors' admin for initiatives, their signatories and sources, and reference rates."""

from __future__ import annotations

import reversion
from django.contrib import admin

from core.admin import (
    PUBLISHING_COLUMNS,
    PUBLISHING_FILTERS,
    EditorialTabularInline,
    EditorialVersionAdmin,
    PublishableAdmin,
)

from .models import Initiative, ReferenceRate, Signatory, Source

reversion.register(Signatory)
reversion.register(Source)
reversion.register(Initiative, follow=["signatories", "sources"])
reversion.register(ReferenceRate)


class SignatoryInline(EditorialTabularInline):
    model = Signatory
    fields = (
        "order",
        "country",
        "organisation",
        "stance",
        "date",
        "statement",
        "statement_by",
        "statement_person",
        "source_url",
    )
    autocomplete_fields = ("organisation", "statement_person")


class SourceInline(EditorialTabularInline):
    model = Source
    fields = ("title", "url", "publisher", "published_on")


@admin.register(Initiative)
class InitiativeAdmin(PublishableAdmin):
    list_display = (
        "title",
        "kind",
        "initiative_status",
        "announced_on",
        "announced_at",
        "funding",
        *PUBLISHING_COLUMNS,
    )
    list_select_related = ("announced_at",)
    list_filter = ("kind", "initiative_status", "announced_on", "currency", *PUBLISHING_FILTERS)
    search_fields = ("title", "short_title", "summary", "slug")
    date_hierarchy = "announced_on"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = (
        "announced_at",
        "announced_in",
        "part_of",
        "lead_organisations",
        "partner_organisations",
        "people",
        "builds_on",
        "topics",
        "related_sessions",
    )
    inlines = [SignatoryInline, SourceInline]

    @admin.display(description="funding", ordering="amount")
    def funding(self, obj: Initiative) -> str:
        if obj.amount is None:
            return "—"
        qualifier = (
            ""
            if obj.amount_qualifier == obj.AmountQualifier.EXACT
            else (f"{obj.get_amount_qualifier_display()} ")
        )
        return f"{qualifier}{obj.amount:,.0f} {obj.currency}"


@admin.register(ReferenceRate)
class ReferenceRateAdmin(EditorialVersionAdmin):
    list_display = ("currency", "euros_per_unit", "as_of", "source")
    search_fields = ("currency", "source")
    date_hierarchy = "as_of"
