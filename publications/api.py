"""The journal, its collections and articles, and news posts in the partner API."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.api.fields import LibraryFileURLField
from core.api.filters import StrictFilterSet, YearFilter, date_range_filters, slug_filter
from core.api.serializers import ModelSerializer
from core.api.viewsets import ReadOnlyViewSet
from core.publishing import prefetch_published
from events.api.serializers import (
    EventSummarySerializer,
    OrganisationSummarySerializer,
    PageUrlField,
    PersonSummarySerializer,
    SessionSummarySerializer,
    TopicSummarySerializer,
    TrackSerializer,
    api_link,
)
from events.models import Event, Organisation, Person, Session, Topic, Track
from initiatives.api import InitiativeSummarySerializer
from initiatives.models import Initiative
from publications.models import Article, ArticleAuthor, Collection, Journal, Licence, NewsPost

# ---------------------------------------------------------------------------
# Serializers


class JournalSummarySerializer(ModelSerializer):
    url = api_link("journal-detail")

    class Meta:
        model = Journal
        fields = ["url", "slug", "title", "issn", "eissn"]


class CollectionSummarySerializer(ModelSerializer):
    url = api_link("collection-detail")
    page_url = PageUrlField()

    class Meta:
        model = Collection
        fields = ["url", "slug", "title", "page_url"]


class ArticleSummarySerializer(ModelSerializer):
    url = api_link("article-detail")
    page_url = PageUrlField()

    class Meta:
        model = Article
        fields = ["url", "slug", "title", "article_type", "doi", "published_on", "page_url"]


class NewsPostSummarySerializer(ModelSerializer):
    url = api_link("news-detail")
    page_url = PageUrlField()

    class Meta:
        model = NewsPost
        fields = ["url", "slug", "title", "publish_at", "page_url"]


class JournalSerializer(JournalSummarySerializer):
    publisher = OrganisationSummarySerializer(read_only=True, allow_null=True)

    class Meta(JournalSummarySerializer.Meta):
        fields = [
            *JournalSummarySerializer.Meta.fields,
            "publisher",
            "first_year",
            "website",
            "default_licence",
            "description",
        ]


class AuthorSerializer(ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    affiliation = serializers.SerializerMethodField(help_text="As at the time of writing.")
    affiliation_organisation = OrganisationSummarySerializer(
        source="affiliation", read_only=True, allow_null=True
    )

    class Meta:
        model = ArticleAuthor
        fields = ["person", "affiliation", "affiliation_organisation", "is_corresponding"]

    def get_affiliation(self, obj) -> str:
        # ``affiliation`` is prefetched published-only: a draft organisation reads as None.
        return obj.affiliation.name if obj.affiliation else obj.affiliation_text


class CollectionSerializer(CollectionSummarySerializer):
    journal = JournalSummarySerializer(read_only=True)
    track = TrackSerializer(read_only=True, allow_null=True)
    editors = PersonSummarySerializer(many=True, read_only=True)

    class Meta(CollectionSummarySerializer.Meta):
        fields = [
            *CollectionSummarySerializer.Meta.fields,
            "journal",
            "track",
            "editors",
            "description",
            "updated_at",
        ]


class CollectionDetailSerializer(CollectionSerializer):
    articles = ArticleSummarySerializer(many=True, read_only=True)

    class Meta(CollectionSerializer.Meta):
        fields = [*CollectionSerializer.Meta.fields, "articles"]


class ArticleSerializer(ArticleSummarySerializer):
    journal = JournalSummarySerializer(read_only=True)
    authors = AuthorSerializer(source="authorships", many=True, read_only=True)
    topics = TopicSummarySerializer(many=True, read_only=True)
    doi_url = serializers.CharField(read_only=True)
    licence_url = serializers.CharField(read_only=True)

    class Meta(ArticleSummarySerializer.Meta):
        fields = [
            *ArticleSummarySerializer.Meta.fields,
            "journal",
            "authors",
            "doi_url",
            "volume",
            "issue",
            "pages",
            "licence",
            "licence_url",
            "topics",
            "updated_at",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    collections = CollectionSummarySerializer(many=True, read_only=True)
    related_initiatives = InitiativeSummarySerializer(many=True, read_only=True)
    related_events = EventSummarySerializer(many=True, read_only=True)
    related_sessions = SessionSummarySerializer(many=True, read_only=True)
    pdf = LibraryFileURLField(allow_null=True)

    class Meta(ArticleSerializer.Meta):
        fields = [
            *ArticleSerializer.Meta.fields,
            "abstract",
            "plain_language_summary",
            "pdf",
            "collections",
            "related_initiatives",
            "related_events",
            "related_sessions",
        ]


class NewsPostSerializer(NewsPostSummarySerializer):
    authors = PersonSummarySerializer(many=True, read_only=True)
    topics = TopicSummarySerializer(many=True, read_only=True)

    class Meta(NewsPostSummarySerializer.Meta):
        fields = [
            *NewsPostSummarySerializer.Meta.fields,
            "standfirst",
            "dateline",
            "authors",
            "topics",
            "updated_at",
        ]


class NewsPostDetailSerializer(NewsPostSerializer):
    related_events = EventSummarySerializer(many=True, read_only=True)
    related_sessions = SessionSummarySerializer(many=True, read_only=True)
    related_initiatives = InitiativeSummarySerializer(many=True, read_only=True)
    related_articles = ArticleSummarySerializer(many=True, read_only=True)
    related_people = PersonSummarySerializer(many=True, read_only=True)
    related_organisations = OrganisationSummarySerializer(many=True, read_only=True)

    class Meta(NewsPostSerializer.Meta):
        fields = [
            *NewsPostSerializer.Meta.fields,
            "body",
            "related_events",
            "related_sessions",
            "related_initiatives",
            "related_articles",
            "related_people",
            "related_organisations",
        ]


# ---------------------------------------------------------------------------
# Filters


def _topic():
    return slug_filter(Topic, field_name="topics", help_text="Slug of a topic.")


class CollectionFilter(StrictFilterSet):
    journal = slug_filter(Journal, field_name="journal", help_text="Slug of the journal.")

    class Meta:
        model = Collection
        fields = []


class ArticleFilter(StrictFilterSet):
    type = filters.ChoiceFilter(field_name="article_type", choices=Article.ArticleType.choices)
    journal = slug_filter(Journal, field_name="journal", help_text="Slug of the journal.")
    collection = slug_filter(Collection, field_name="collections", help_text="Collection slug.")
    person = slug_filter(Person, field_name="authors", help_text="Slug of an author.")
    topic = _topic()
    licence = filters.ChoiceFilter(choices=Licence.choices)
    year = YearFilter(field_name="published_on__year", help_text="Published in this year.")
    date_from, date_to = date_range_filters("published_on")

    class Meta:
        model = Article
        fields = []


class NewsPostFilter(StrictFilterSet):
    topic = _topic()
    person = slug_filter(Person, field_name="authors", help_text="Slug of an author.")
    event = slug_filter(Event, field_name="related_events", help_text="Slug of a related event.")
    initiative = slug_filter(
        Initiative, field_name="related_initiatives", help_text="Slug of a related initiative."
    )
    year = YearFilter(field_name="publish_at__year", help_text="Published in this year.")
    date_from, date_to = date_range_filters("publish_at")

    class Meta:
        model = NewsPost
        fields = []


# ---------------------------------------------------------------------------
# Viewsets


def visible_tracks(lookup: str = "track") -> Prefetch:
    """A track is shown only when its event is public."""
    return Prefetch(
        lookup,
        queryset=Track.objects.published().prefetch_related(
            prefetch_published("organiser", Organisation)
        ),
    )


def authorships() -> Prefetch:
    return Prefetch(
        "authorships",
        queryset=ArticleAuthor.objects.published()
        .select_related("person")
        .prefetch_related(prefetch_published("affiliation", Organisation)),
    )


@extend_schema_view(
    list=extend_schema(summary="List journals", tags=["journal"]),
    retrieve=extend_schema(summary="One journal", tags=["journal"]),
)
class JournalViewSet(ReadOnlyViewSet):
    serializer_class = JournalSerializer
    search_fields = ["title"]
    ordering_fields = ["title"]
    ordering = ["title"]

    def get_queryset(self):
        return Journal.objects.published().prefetch_related(
            prefetch_published("publisher", Organisation)
        )


@extend_schema_view(
    list=extend_schema(summary="List collections", tags=["journal"]),
    retrieve=extend_schema(summary="One collection, with its articles", tags=["journal"]),
)
class CollectionViewSet(ReadOnlyViewSet):
    serializer_class = CollectionSerializer
    detail_serializer_class = CollectionDetailSerializer
    filterset_class = CollectionFilter
    search_fields = ["title"]
    ordering_fields = ["title", "updated_at"]
    ordering = ["title"]

    def get_queryset(self):
        qs = (
            Collection.objects.published()
            .select_related("journal")
            .prefetch_related(visible_tracks(), prefetch_published("editors", Person))
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(prefetch_published("articles", Article))
        return qs


@extend_schema_view(
    list=extend_schema(summary="List articles", tags=["journal"]),
    retrieve=extend_schema(summary="One article, with what it relates to", tags=["journal"]),
)
class ArticleViewSet(ReadOnlyViewSet):
    serializer_class = ArticleSerializer
    detail_serializer_class = ArticleDetailSerializer
    filterset_class = ArticleFilter
    search_fields = ["title", "doi", "plain_language_summary"]
    ordering_fields = ["published_on", "title", "updated_at"]
    ordering = ["-published_on", "title"]

    def get_queryset(self):
        qs = (
            Article.objects.published()
            .select_related("journal")
            .prefetch_related(authorships(), prefetch_published("topics", Topic))
        )
        if self.action == "retrieve":
            qs = qs.select_related("pdf").prefetch_related(
                prefetch_published("collections", Collection),
                prefetch_published("related_initiatives", Initiative),
                prefetch_published("related_events", Event),
                prefetch_published(
                    "related_sessions", Session, Session.objects.select_related("event")
                ),
            )
        return qs


@extend_schema_view(
    list=extend_schema(summary="List news posts", tags=["news"]),
    retrieve=extend_schema(summary="One news post, with what it relates to", tags=["news"]),
)
class NewsPostViewSet(ReadOnlyViewSet):
    serializer_class = NewsPostSerializer
    detail_serializer_class = NewsPostDetailSerializer
    filterset_class = NewsPostFilter
    search_fields = ["title", "standfirst"]
    ordering_fields = ["publish_at", "title", "updated_at"]
    ordering = ["-publish_at", "title"]

    def get_queryset(self):
        qs = NewsPost.objects.published().prefetch_related(
            prefetch_published("authors", Person), prefetch_published("topics", Topic)
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                prefetch_published("related_events", Event),
                prefetch_published(
                    "related_sessions", Session, Session.objects.select_related("event")
                ),
                prefetch_published("related_initiatives", Initiative),
                prefetch_published("related_articles", Article),
                prefetch_published("related_people", Person),
                prefetch_published("related_organisations", Organisation),
            )
        return qs
