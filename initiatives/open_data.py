"""The initiative tracker as open data: every published initiative, as CSV or JSON.

Licensed CC BY 4.0. The records are built from the same published query the API uses
(``initiatives.api``), so a value here is the value the API gives for the same initiative.
"""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from core.api.viewsets import ApiViewMixin
from core.links import absolute_url
from initiatives.api import initiative_prefetches
from initiatives.models import Initiative, Signatory

LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "statement": (
        "This data set is licensed under the Creative Commons Attribution 4.0 International "
        "licence (CC BY 4.0): you may share and adapt it for any purpose if you credit the source."
    ),
}

# Column, and what it holds. The JSON records carry the same keys (lists stay lists there).
COLUMNS: list[tuple[str, str]] = [
    ("slug", "Identifier, as in /api/v1/initiatives/<slug>/."),
    ("title", "Full title."),
    ("short_title", "Short name, if any."),
    ("kind", "investment, fund, foundation, declaration, partnership, report, standard, …"),
    ("initiative_status", "announced, active, completed, published (a document) or withdrawn."),
    ("announced_on", "Date announced (YYYY-MM-DD), if known."),
    ("announced_at", "Slug of the event where it was announced, if any."),
    (
        "jurisdictions",
        "ISO 3166-1 alpha-2 codes covered (EU for the Union); ';' between them in CSV.",
    ),
    ("amount", "Amount of money, a decimal with two places; empty when none."),
    ("currency", "ISO 4217 code of the amount."),
    ("amount_qualifier", "exact, approximately, up_to, at_least or initial."),
    ("amount_note", "Where the money comes from."),
    ("lead_organisations", "Slugs of the leading organisations; ';' between them in CSV."),
    ("partner_organisations", "Slugs of the partner organisations; ';' between them in CSV."),
    ("reported_signatory_count", "Number of signatories as reported (may exceed those named)."),
    ("signed_count", "Named signatories with stance 'signed'."),
    ("supports_count", "Named signatories with stance 'supports'."),
    ("declined_count", "Named parties that declined to sign."),
    (
        "signatories",
        "Named parties and stances: country code or organisation slug, ':', stance; "
        "'; ' between them in CSV. In JSON a list of {party, country, organisation, stance, date}.",
    ),
    ("page_url", "The initiative's page on the site."),
    ("api_url", "The initiative in the API."),
    ("updated_at", "When the record last changed (ISO 8601)."),
]
COLUMN_NAMES = [name for name, _ in COLUMNS]


def published_initiatives():
    return (
        Initiative.objects.published()
        .prefetch_related(*initiative_prefetches(detail=True))
        .order_by("-announced_on", "title")
    )


def initiative_record(initiative: Initiative, request=None) -> dict:
    """One initiative as an open-data record (lists kept as lists)."""
    signatories = [
        {
            "party": s.party_name,
            "country": s.country.code or "",
            "organisation": s.organisation.slug if s.organisation else "",
            "stance": s.stance,
            "date": s.date.isoformat() if s.date else "",
        }
        for s in initiative.signatories.all()
    ]

    def count(stance: str) -> int:
        return sum(1 for s in signatories if s["stance"] == stance)

    return {
        "slug": initiative.slug,
        "title": initiative.title,
        "short_title": initiative.short_title,
        "kind": initiative.kind,
        "initiative_status": initiative.initiative_status,
        "announced_on": initiative.announced_on.isoformat() if initiative.announced_on else "",
        "announced_at": initiative.announced_at.slug if initiative.announced_at else "",
        "jurisdictions": [c.code for c in initiative.jurisdictions],
        "amount": f"{initiative.amount:.2f}" if initiative.amount is not None else "",
        "currency": initiative.currency,
        "amount_qualifier": initiative.amount_qualifier,
        "amount_note": initiative.amount_note,
        "lead_organisations": [o.slug for o in initiative.lead_organisations.all()],
        "partner_organisations": [o.slug for o in initiative.partner_organisations.all()],
        "reported_signatory_count": initiative.reported_signatory_count,
        "signed_count": count(Signatory.Stance.SIGNED),
        "supports_count": count(Signatory.Stance.SUPPORTS),
        "declined_count": count(Signatory.Stance.DECLINED),
        "signatories": signatories,
        "page_url": absolute_url(initiative.get_absolute_url()),
        "api_url": reverse(
            "api:initiative-detail", kwargs={"slug": initiative.slug}, request=request
        ),
        "updated_at": initiative.updated_at.isoformat(),
    }


def _csv_cell(name: str, value) -> str:
    if name == "signatories":
        return "; ".join(f"{s['country'] or s['organisation']}:{s['stance']}" for s in value)
    if isinstance(value, list):
        return ";".join(value)
    return "" if value is None else str(value)


class _FirstRenderer(BaseContentNegotiation):
    """The files are what they are; errors are JSON whatever the Accept header says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


class _OpenDataView(ApiViewMixin, APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _FirstRenderer


class InitiativesCsvView(_OpenDataView):
    @extend_schema(
        summary="Initiative tracker as CSV",
        description=(
            "Every published initiative, one row each, licensed CC BY 4.0. Columns: "
            + "; ".join(f"`{name}`: {text}" for name, text in COLUMNS)
        ),
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV")},
        tags=["open data"],
    )
    def get(self, request):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMN_NAMES)
        for initiative in published_initiatives():
            record = initiative_record(initiative, request)
            writer.writerow([_csv_cell(name, record[name]) for name in COLUMN_NAMES])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="initiatives.csv"'
        response["Link"] = f'<{LICENCE["url"]}>; rel="license"'
        return response


class InitiativesJsonView(_OpenDataView):
    @extend_schema(
        summary="Initiative tracker as JSON",
        description="Every published initiative with its signatories, licensed CC BY 4.0.",
        responses={200: OpenApiTypes.OBJECT},
        tags=["open data"],
    )
    def get(self, request):
        records = [initiative_record(i, request) for i in published_initiatives()]
        return Response(
            {
                "title": f"{settings.SITE_NAME} initiative tracker",
                "licence": LICENCE,
                "columns": [{"name": name, "description": text} for name, text in COLUMNS],
                "count": len(records),
                "initiatives": records,
            }
        )


initiatives_csv = InitiativesCsvView.as_view()
initiatives_json = InitiativesJsonView.as_view()
