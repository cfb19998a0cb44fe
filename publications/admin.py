"""The editors' admin for the journal, its collections and articles, and news posts."""

from __future__ import annotations

import reversion
from django.contrib import admin

from core.admin import (
    PUBLISHING_COLUMNS,
    PUBLISHING_FILTERS,
    EditorialTabularInline,
    PublishableAdmin,
)

from .models import Article, ArticleAuthor, Collection, Journal, NewsPost

reversion.register(Journal)
reversion.register(Collection)
reversion.register(ArticleAuthor)
reversion.register(Article, follow=["authorships"])
reversion.register(NewsPost)


@admin.register(Journal)
class JournalAdmin(PublishableAdmin):
    list_display = ("title", "issn", "eissn", "publisher", "first_year", *PUBLISHING_COLUMNS)
    list_select_related = ("publisher",)
    search_fields = ("title", "issn", "eissn")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("publisher",)


@admin.register(Collection)
class CollectionAdmin(PublishableAdmin):
    list_display = ("title", "journal", "track", *PUBLISHING_COLUMNS)
    list_select_related = ("journal", "track__event")
    list_filter = ("journal", *PUBLISHING_FILTERS)
    search_fields = ("title", "description")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("journal", "track", "editors")


class AuthorInline(EditorialTabularInline):
    model = ArticleAuthor
    fields = ("order", "person", "affiliation", "affiliation_text", "is_corresponding")
    autocomplete_fields = ("person", "affiliation")
    ordering = ("order", "id")


@admin.register(Article)
class ArticleAdmin(PublishableAdmin):
    list_display = (
        "title",
        "journal",
        "article_type",
        "doi",
        "published_on",
        *PUBLISHING_COLUMNS,
    )
    list_select_related = ("journal",)
    list_filter = ("article_type", "journal", "licence", "published_on", *PUBLISHING_FILTERS)
    search_fields = ("title", "doi", "abstract", "slug")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = (
        "journal",
        "topics",
        "collections",
        "related_initiatives",
        "related_events",
        "related_sessions",
    )
    inlines = [AuthorInline]


@admin.register(NewsPost)
class NewsPostAdmin(PublishableAdmin):
    list_display = ("title", "dateline", *PUBLISHING_COLUMNS)
    search_fields = ("title", "standfirst", "slug")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = (
        "authors",
        "topics",
        "related_events",
        "related_sessions",
        "related_initiatives",
        "related_articles",
        "related_people",
        "related_organisations",
    )
