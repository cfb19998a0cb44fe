"""The initiative tracker in the partner API: initiatives with their signatories."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from core.api.filters import (
    AmountFilter,
    CountryFilter,
    StrictFilterSet,
    YearFilter,
    date_range_filters,
    slug_filter,
)
from core.api.serializers import ModelSerializer
from core.api.viewsets import ApiViewMixin, ReadOnlyViewSet
from core.publishing import prefetch_published
from events.api.serializers import (
    CountryCodeField,
    EventSummarySerializer,
    OrganisationSummarySerializer,
    PageUrlField,
    PersonSummarySerializer,
    SessionSummarySerializer,
    TopicSummarySerializer,
    api_link,
)
from events.models import Event, Organisation, Person, Session, Topic
from initiatives.models import Initiative, Signatory, Source

# ---------------------------------------------------------------------------
# Serializers


class InitiativeSummarySerializer(ModelSerializer):
    url = api_link("initiative-detail")
    page_url = PageUrlField()

    class Meta:
        model = Initiative
        fields = ["url", "slug", "title", "short_title", "kind", "page_url"]


class SignatorySerializer(ModelSerializer):
    party = serializers.CharField(source="party_name", read_only=True)
    country = CountryCodeField()
    organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Signatory
        fields = [
            "party",
            "country",
            "organisation",
            "stance",
            "date",
            "statement",
            "statement_by",
            "source_url",
        ]


class SignatoryListSerializer(SignatorySerializer):
    initiative = InitiativeSummarySerializer(read_only=True)

    class Meta(SignatorySerializer.Meta):
        fields = ["initiative", *SignatorySerializer.Meta.fields]


class SourceSerializer(ModelSerializer):
    class Meta:
        model = Source
        fields = ["title", "url", "publisher", "published_on"]


class InitiativeSerializer(InitiativeSummarySerializer):
    jurisdictions = serializers.SerializerMethodField(
        help_text="ISO 3166-1 alpha-2 codes of the countries covered (EU for the Union)."
    )
    amount = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, allow_null=True, coerce_to_string=True
    )
    announced_at = EventSummarySerializer(read_only=True, allow_null=True)
    part_of = InitiativeSummarySerializer(read_only=True, allow_null=True)
    lead_organisations = OrganisationSummarySerializer(many=True, read_only=True)
    partner_organisations = OrganisationSummarySerializer(many=True, read_only=True)
    topics = TopicSummarySerializer(many=True, read_only=True)

    class Meta(InitiativeSummarySerializer.Meta):
        fields = [
            *InitiativeSummarySerializer.Meta.fields,
            "summary",
            "initiative_status",
            "announced_on",
            "announced_at",
            "part_of",
            "jurisdictions",
            "amount",
            "currency",
            "amount_qualifier",
            "amount_note",
            "reported_signatory_count",
            "lead_organisations",
            "partner_organisations",
            "topics",
            "website",
            "updated_at",
        ]

    def get_jurisdictions(self, obj) -> list[str]:
        return [country.code for country in obj.jurisdictions]


class InitiativeDetailSerializer(InitiativeSerializer):
    announced_in = SessionSummarySerializer(read_only=True, allow_null=True)
    people = PersonSummarySerializer(many=True, read_only=True)
    components = InitiativeSummarySerializer(many=True, read_only=True)
    builds_on = InitiativeSummarySerializer(many=True, read_only=True)
    signatories = SignatorySerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    related_sessions = SessionSummarySerializer(
        many=True, read_only=True, help_text="Published sessions that discussed the initiative."
    )

    class Meta(InitiativeSerializer.Meta):
        fields = [
            *InitiativeSerializer.Meta.fields,
            "description",
            "announced_in",
            "people",
            "components",
            "builds_on",
            "signatories",
            "sources",
            "related_sessions",
        ]


# ---------------------------------------------------------------------------
# Filters


class InitiativeFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=Initiative.Kind.choices)
    status = filters.ChoiceFilter(
        field_name="initiative_status",
        choices=Initiative.InitiativeStatus.choices,
        help_text="Announced, active, completed, published (a document) or withdrawn.",
    )
    jurisdiction = CountryFilter(
        field_name="jurisdictions", lookup_expr="contains", help_text="A country covered (FR, EU…)."
    )
    organisation = slug_filter(
        Organisation,
        field_name="lead_organisations",
        method="filter_organisation",
        help_text="Slug of a lead or partner organisation.",
    )
    event = slug_filter(
        Event, field_name="announced_at", help_text="Slug of the event where it was announced."
    )
    topic = slug_filter(Topic, field_name="topics", help_text="Slug of a topic.")
    currency = filters.CharFilter(
        max_length=3, min_length=3, help_text="ISO 4217 code of the amount, e.g. EUR."
    )
    amount_min = AmountFilter(field_name="amount", lookup_expr="gte", help_text="Amount at least.")
    amount_max = AmountFilter(field_name="amount", lookup_expr="lte", help_text="Amount at most.")
    stance = filters.ChoiceFilter(
        field_name="signatories__stance",
        choices=Signatory.Stance.choices,
        distinct=True,
        help_text="Initiatives with at least one signatory of this stance.",
    )
    year = YearFilter(field_name="announced_on__year", help_text="Announced in this year.")
    date_from, date_to = date_range_filters("announced_on")

    class Meta:
        model = Initiative
        fields = []

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(
            Q(lead_organisations=value) | Q(partner_organisations=value)
        ).distinct()


class SignatoryFilter(filters.FilterSet):
    initiative = slug_filter(Initiative, field_name="initiative", help_text="Initiative slug.")
    stance = filters.ChoiceFilter(choices=Signatory.Stance.choices)
    country = CountryFilter()
    organisation = slug_filter(
        Organisation, field_name="organisation", help_text="Slug of a signing organisation."
    )

    class Meta:
        model = Signatory
        fields = []


# ---------------------------------------------------------------------------
# Viewsets


def initiative_prefetches(*, detail: bool) -> list:
    """What an initiative brings with it; shared with the open-data export."""
    related = [
        prefetch_published("announced_at", Event),
        prefetch_published("part_of", Initiative),
        prefetch_published("lead_organisations", Organisation),
        prefetch_published("partner_organisations", Organisation),
        prefetch_published("topics", Topic),
    ]
    if detail:
        related += [
            prefetch_published("announced_in", Session, Session.objects.select_related("event")),
            prefetch_published("people", Person),
            prefetch_published("components", Initiative),
            prefetch_published("builds_on", Initiative),
            Prefetch(
                "signatories",
                queryset=Signatory.objects.published().prefetch_related(
                    prefetch_published("organisation", Organisation)
                ),
            ),
            "sources",
        ]
    return related


@extend_schema_view(
    list=extend_schema(summary="List initiatives", tags=["initiatives"]),
    retrieve=extend_schema(
        summary="One initiative, with its signatories and sources", tags=["initiatives"]
    ),
)
class InitiativeViewSet(ReadOnlyViewSet):
    serializer_class = InitiativeSerializer
    detail_serializer_class = InitiativeDetailSerializer
    filterset_class = InitiativeFilter
    search_fields = ["title", "short_title", "summary"]
    ordering_fields = ["announced_on", "title", "amount", "updated_at"]
    ordering = ["-announced_on", "title"]

    def get_queryset(self):
        detail = self.action == "retrieve"
        qs = Initiative.objects.published().prefetch_related(*initiative_prefetches(detail=detail))
        if detail:
            qs = qs.prefetch_related(
                prefetch_published(
                    "related_sessions", Session, Session.objects.select_related("event")
                )
            )
        return qs


@extend_schema_view(
    list=extend_schema(
        summary="List signatories",
        description="Who signed, supported or declined which initiative; filter by stance.",
        tags=["initiatives"],
    ),
)
class SignatoryViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Signatories have no slug or page of their own: they are listed, and shown on the
    initiative."""

    serializer_class = SignatoryListSerializer
    filterset_class = SignatoryFilter
    search_fields = ["statement", "statement_by", "organisation__name"]
    ordering_fields = ["date", "stance", "country"]
    ordering = ["initiative__title", "stance", "order", "country"]

    def get_queryset(self):
        return Signatory.objects.published().prefetch_related(
            prefetch_published("organisation", Organisation),
            prefetch_published("initiative", Initiative),
        )
