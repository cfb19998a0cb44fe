"""Public pages for the journal and news, the home page and site search.

The home page and search live here because they draw on all three apps, and this app is
the last in the chain (it may import from events and initiatives, never the reverse).
"""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse

from core.choosers import ItemFilter, SuggestingFilterSet, suggestions_view
from core.pages import RELATED_LIMIT, DetailPage, Related, paginate, render_page
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


class ArticleFilter(SuggestingFilterSet):
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
    # A text box with suggestions (core.choosers): topics grow with the archive.
    topic = ItemFilter(
        label="Topic",
        field_name="topics",
        queryset=lambda filterset: Topic.objects.published(),
        popular=lambda topics: topics.annotate(
            uses=Count("articles", filter=Q(articles__in=Article.objects.published()))
        ).order_by("-uses", "name"),
        noun="topic",
    )

    suggestions_url_name = "article-filter-suggestions"

    class Meta:
        model = Article
        fields: list[str] = []


#: ``/journal/filters/<name>/?q=``: what the filter boxes suggest as the visitor types.
article_filter_suggestions = suggestions_view(ArticleFilter)


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


def _article_context(request: HttpRequest, article: Article, context: dict) -> dict:
    user = request.user
    authors = [a for a in article.authorships.all() if shown(user, a.person)]
    for authorship in authors:
        org = shown(user, authorship.affiliation)
        authorship.institution = org.name if org else authorship.affiliation_text
    publisher = shown(user, article.journal.publisher)
    return {
        "authors": authors,
        "publisher": publisher,
        "citation": format_citation(article),
        "highwire": highwire_tags(article, authors),
        "jsonld": article_ld(article, authors=authors, publisher=publisher),
    }


article_detail = DetailPage(
    Article,
    "publications/article_detail.html",
    name="article",
    # The citation data (journal, publisher, authors in order) is loaded once and serves both
    # the how-to-cite block and the author list; affiliations are only needed by the page.
    queryset=lambda user: with_citation_data(Article.objects.visible_to(user)).prefetch_related(
        "authorships__affiliation"
    ),
    related=(
        Related("collections", lambda article: article.collections),
        Related("topics", lambda article: article.topics),
        Related("initiatives", lambda article: article.related_initiatives),
        Related("events", lambda article: article.related_events),
        Related("sessions", lambda article: article.related_sessions.select_related("event")),
        Related("news", lambda article: article.news_posts, RELATED_LIMIT),
    ),
    more_context=_article_context,
)


def _collection_context(request: HttpRequest, collection: Collection, context: dict) -> dict:
    user = request.user
    articles = (
        collection.articles.visible_to(user)
        .select_related("journal")
        .prefetch_related(authors_prefetch(user))
    )
    track = collection.track
    return {
        "page": paginate(request, articles),
        "track_event": shown(user, track.event) if track else None,
        "jsonld": collection_ld(collection, editors=context["editors"]),
    }


collection_detail = DetailPage(
    Collection,
    "publications/collection_detail.html",
    name="collection",
    queryset=lambda user: Collection.objects.visible_to(user).select_related(
        "journal", "track__event"
    ),
    related=(Related("editors", lambda collection: collection.editors),),
    more_context=_collection_context,
)


# --- news ------------------------------------------------------------------------------------


def news_list(request: HttpRequest) -> HttpResponse:
    posts = NewsPost.objects.published()
    return render_page(request, "publications/news_list.html", {"page": paginate(request, posts)})


news_detail = DetailPage(
    NewsPost,
    "publications/news_detail.html",
    name="post",
    queryset=lambda user: NewsPost.objects.visible_to(user).select_related("image"),
    related=(
        Related("authors", lambda post: post.authors),
        Related("topics", lambda post: post.topics),
        Related("events", lambda post: post.related_events),
        Related("sessions", lambda post: post.related_sessions.select_related("event")),
        Related("initiatives", lambda post: post.related_initiatives),
        Related("articles", lambda post: post.related_articles),
        Related("people", lambda post: post.related_people),
        Related("organisations", lambda post: post.related_organisations),
    ),
    more_context=lambda request, post, context: {
        "jsonld": news_ld(post, authors=context["authors"], site_name=settings.SITE_NAME)
    },
)
