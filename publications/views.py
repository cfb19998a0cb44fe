"""Public pages for the journal and news, the home page and site search.

The home page and search live here because they draw on all three apps, and this app is
the last in the chain (it may import from events and initiatives, never the reverse).
"""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from core.pages import RELATED_LIMIT, paginate, render_page
from core.publishing import shown
from events.models import Topic

from .citations import format_citation, highwire_tags, with_citation_data
from .jsonld import article_ld, collection_ld, news_ld
from .models import Article, ArticleAuthor, Collection, NewsPost


def authors_prefetch(user) -> Prefetch:
    """An article's authors in order, only those whose person record is visible."""
    return Prefetch(
        "authorships",
        queryset=ArticleAuthor.objects.visible_to(user)
        .select_related("person", "affiliation")
        .order_by("order", "id"),
    )


# --- journal ---------------------------------------------------------------------------------


class ArticleFilter(django_filters.FilterSet):
    # Choices are callables so that "published" is decided when the page is asked for, not
    # once when the module is imported (scheduled and expiring items would be wrong for days).
    type = django_filters.ChoiceFilter(
        field_name="article_type", choices=Article.ArticleType.choices, empty_label="Any type"
    )
    collection = django_filters.ModelChoiceFilter(
        field_name="collections",
        queryset=lambda request: Collection.objects.published(),
        to_field_name="slug",
        empty_label="Any collection",
    )
    year = django_filters.NumberFilter(
        field_name="published_on", lookup_expr="year", min_value=1900, max_value=2200
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        queryset=lambda request: Topic.objects.published(),
        to_field_name="slug",
        empty_label="Any topic",
    )

    class Meta:
        model = Article
        fields: list[str] = []


def article_list(request: HttpRequest) -> HttpResponse:
    base = (
        Article.objects.published()
        .select_related("journal")
        .prefetch_related(authors_prefetch(request.user))
    )
    filterset = ArticleFilter(request.GET or None, queryset=base)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "collections": list(Collection.objects.published()),
        "querystring": query.urlencode(),
    }
    return render_page(request, "publications/article_list.html", context)


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    # The citation data (journal, publisher, authors in order) is loaded once and serves both
    # the how-to-cite block and the author list; affiliations are only needed by the page.
    article = get_object_or_404(
        with_citation_data(Article.objects.visible_to(user)).prefetch_related(
            "authorships__affiliation"
        ),
        slug=slug,
    )
    authors = [a for a in article.authorships.all() if shown(user, a.person)]
    for authorship in authors:
        org = shown(user, authorship.affiliation)
        authorship.institution = org.name if org else authorship.affiliation_text
    publisher = shown(user, article.journal.publisher)
    context = {
        "article": article,
        "authors": authors,
        "publisher": publisher,
        "collections": list(article.collections.visible_to(user)),
        "topics": list(article.topics.visible_to(user)),
        "initiatives": list(article.related_initiatives.visible_to(user)),
        "events": list(article.related_events.visible_to(user)),
        "sessions": list(article.related_sessions.visible_to(user).select_related("event")),
        "news": list(article.news_posts.visible_to(user)[:RELATED_LIMIT]),
        "citation": format_citation(article),
        "highwire": highwire_tags(article, authors),
        "jsonld": article_ld(article, authors=authors, publisher=publisher),
    }
    return render_page(request, "publications/article_detail.html", context, obj=article)


def collection_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    collection = get_object_or_404(
        Collection.objects.visible_to(user).select_related("journal", "track__event"), slug=slug
    )
    articles = (
        collection.articles.visible_to(user)
        .select_related("journal")
        .prefetch_related(authors_prefetch(user))
    )
    editors = list(collection.editors.visible_to(user))
    track = collection.track
    context = {
        "collection": collection,
        "page": paginate(request, articles),
        "editors": editors,
        "track_event": shown(user, track.event) if track else None,
        "jsonld": collection_ld(collection, editors=editors),
    }
    return render_page(request, "publications/collection_detail.html", context, obj=collection)


# --- news ------------------------------------------------------------------------------------


def news_list(request: HttpRequest) -> HttpResponse:
    posts = NewsPost.objects.published()
    return render_page(request, "publications/news_list.html", {"page": paginate(request, posts)})


def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    post = get_object_or_404(NewsPost.objects.visible_to(user), slug=slug)
    authors = list(post.authors.visible_to(user))
    context = {
        "post": post,
        "authors": authors,
        "topics": list(post.topics.visible_to(user)),
        "events": list(post.related_events.visible_to(user)),
        "sessions": list(post.related_sessions.visible_to(user).select_related("event")),
        "initiatives": list(post.related_initiatives.visible_to(user)),
        "articles": list(post.related_articles.visible_to(user)),
        "people": list(post.related_people.visible_to(user)),
        "organisations": list(post.related_organisations.visible_to(user)),
        "jsonld": news_ld(post, authors=authors, site_name=settings.SITE_NAME),
    }
    return render_page(request, "publications/news_detail.html", context, obj=post)
