"""The editors' admin for initiatives, their signatories and sources, and reference rates."""

from __future__ import annotations

import reversion
from django.contrib import admin
from django.core.exceptions import ValidationError

from core import workflow
from core.admin import (
    PUBLISHING_COLUMNS,
    PUBLISHING_FILTERS,
    EditorialStackedInline,
    EditorialTabularInline,
    EditorialVersionAdmin,
    PublishableAdmin,
)
from core.admin.spreadsheets import SpreadsheetMixin

from .currency import rate_text
from .models import Initiative, ReferenceRate, Signatory, Source
from .spreadsheets import InitiativeResource, SignatoryResource

reversion.register(Signatory)
reversion.register(Source)
reversion.register(Initiative, follow=["signatories", "sources"])
reversion.register(ReferenceRate)


class SignatoryInline(EditorialStackedInline):
    """Stacked, with its fields in a grid: as a table of nine columns it made the form three
    times as wide as the window."""

    model = Signatory
    classes = ("compact",)
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
class InitiativeAdmin(SpreadsheetMixin, PublishableAdmin):
    resource_classes = [InitiativeResource]
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


@admin.register(Signatory)
class SignatoryAdmin(SpreadsheetMixin, EditorialVersionAdmin):
    """Every initiative's signatories in one list, to filter, export and import as a sheet.

    A signatory is public with its initiative, so it may be changed exactly when its
    initiative may be (as on the initiative's own page, where its rows are edited inline).
    """

    resource_classes = [SignatoryResource]
    list_display = ("party_name", "initiative", "stance", "date", "order")
    list_select_related = ("initiative", "organisation")
    list_filter = ("stance", "initiative__kind", "country")
    search_fields = ("initiative__title", "initiative__slug", "organisation__name", "country")
    autocomplete_fields = ("initiative", "organisation", "statement_person")
    ordering = ("initiative__title", "stance", "order")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        def clean_initiative(self):
            initiative = self.cleaned_data.get("initiative")
            if initiative is not None and not workflow.can_edit(request.user, initiative):
                raise ValidationError(
                    "You may add or change signatories only of initiatives you may edit "
                    "(your own drafts)."
                )
            return initiative

        return type(form.__name__, (form,), {"clean_initiative": clean_initiative})

    def _initiative_editable(self, request, obj) -> bool:
        return obj is None or workflow.can_edit(request.user, obj.initiative)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._initiative_editable(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._initiative_editable(
            request, obj
        )


@admin.register(ReferenceRate)
class ReferenceRateAdmin(EditorialVersionAdmin):
    """The rates the funding chart and the initiative pages convert amounts at, each shown
    to readers with its date (and its source, when given)."""

    list_display = ("currency", "as_shown", "as_of", "source")
    search_fields = ("currency", "source")
    date_hierarchy = "as_of"
    fields = ("currency", "euros_per_unit", "as_of", "source")

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("help_texts", {})["euros_per_unit"] = (
            "What one unit of the currency is worth in euros, e.g. 0.92 for the US dollar."
        )
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="Rate shown to readers", ordering="euros_per_unit")
    def as_shown(self, rate: ReferenceRate) -> str:
        return rate_text(rate)
