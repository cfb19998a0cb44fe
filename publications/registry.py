"""The journal's and the news's content types, and the sections they add to earlier pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse

from core import registry
from core.pages import RELATED_LIMIT
from events.models import Event, Person, Session, Topic, Track
from initiatives.models import Initiative

from .models import Article, ArticleAuthor, Collection, Journal, NewsPost

registry.register(
    Journal,
    # The journal has no page of its own: its articles are listed at /journal/.
    api=registry.Api("journals", "publications.api.JournalViewSet", "journal"),
    card=registry.Card(date=None),
)
registry.register(
    Collection,
    page=registry.Page(None, None, "publications/collection_detail.html"),
    api=registry.Api("collections", "publications.api.CollectionViewSet", "collection"),
    search=registry.Search("collections", "Collections", ("title", "description"), order=45),
    sitemap=registry.Sitemap(priority=0.5, changefreq="monthly"),
    card=registry.Card(date=None),
)
registry.register(
    Article,
    page=registry.Page(
        "article-list", "publications/article_list.html", "publications/article_detail.html"
    ),
    api=registry.Api("articles", "publications.api.ArticleViewSet", "article"),
    search=registry.Search(
        "articles",
        "Journal articles",
        ("title", "abstract", "plain_language_summary"),
        order=40,
        facets=registry.Facets(topics="topics"),
    ),
    sitemap=registry.Sitemap(priority=0.7, changefreq="monthly"),
    feed=registry.Feed("article-feed"),
    card=registry.Card(
        date=lambda article: article.published_on or article.publish_at,
        summary="plain_language_summary",
        template="publications/_article_item.html",
    ),
)
registry.register(
    NewsPost,
    page=registry.Page("news-list", "publications/news_list.html", "publications/news_detail.html"),
    api=registry.Api("news", "publications.api.NewsPostViewSet", "news"),
    search=registry.Search(
        "news",
        "News",
        ("title", "standfirst", "body"),
        order=50,
        facets=registry.Facets(topics="topics"),
    ),
    sitemap=registry.Sitemap(priority=0.6, changefreq="weekly"),
    feed=registry.Feed("news-feed"),
    card=registry.Card(summary="standfirst", template="publications/_news_item.html"),
)

# --- What the journal and the news add to earlier apps' pages ---------------------------------
# events and initiatives do not know that articles and news point at their items, nor that an
# article is public only in a published journal; that knowledge lives here.

ARTICLE_CARD = "publications/_article_item.html"
NEWS_CARD = "publications/_news_item.html"


def _articles(key, title, where, *, order=30, **options) -> registry.Section:
    return registry.Section(
        key,
        title,
        lambda obj, user: (
            Article.objects.visible_to(user)
            .select_related("journal")
            .filter(**where(obj))[:RELATED_LIMIT]
        ),
        template=ARTICLE_CARD,
        as_name="article",
        order=order,
        **options,
    )


def _news(key, title, where) -> registry.Section:
    return registry.Section(
        key,
        title,
        lambda obj, user: NewsPost.objects.visible_to(user).filter(**where(obj))[:RELATED_LIMIT],
        template=NEWS_CARD,
        as_name="post",
        order=40,
    )


def _authored(person, user) -> list[Article]:
    # An authorship is shown with its article, and so only in a published journal.
    authorships = (
        ArticleAuthor.objects.visible_to(user)
        .filter(person=person)
        .select_related("article__journal")
        .order_by("-article__published_on")
    )
    return [authorship.article for authorship in authorships]


registry.add_section(Event, _articles("articles", "Articles", lambda e: {"related_events": e}))
registry.add_section(Event, _news("news", "News", lambda e: {"related_events": e}))
registry.add_section(Session, _articles("articles", "Articles", lambda s: {"related_sessions": s}))
registry.add_section(Session, _news("news", "News", lambda s: {"related_sessions": s}))
registry.add_section(
    Person,
    registry.Section(
        "articles", "Articles", _authored, template=ARTICLE_CARD, as_name="article", order=10
    ),
)
registry.add_section(
    Initiative,
    _articles("articles", "Articles about it", lambda i: {"related_initiatives": i}),
)
registry.add_section(Initiative, _news("news", "News", lambda i: {"related_initiatives": i}))
registry.add_section(Person, _news("news-written", "News written", lambda p: {"authors": p}))
registry.add_section(Person, _news("mentions", "In the news", lambda p: {"related_people": p}))
registry.add_section(
    Topic,
    registry.Section(
        "articles",
        "Journal articles",
        # A topic's page lists what is public, previewers included.
        lambda topic, user: Article.objects.published().filter(topics=topic)[:RELATED_LIMIT],
        template=ARTICLE_CARD,
        as_name="article",
        order=30,
        more=lambda topic: (
            f"{reverse('article-list')}?topic={topic.slug}",
            f"All articles on {topic.name}",
        ),
    ),
)
registry.add_section(
    Topic,
    registry.Section(
        "news",
        "News",
        lambda topic, user: NewsPost.objects.published().filter(topics=topic)[:RELATED_LIMIT],
        template=NEWS_CARD,
        as_name="post",
        order=40,
    ),
)
# On an event's programme, each track names the collections of articles that grew out of it.
registry.add_section(
    Track,
    registry.Section(
        "collections",
        "Articles from this track",
        lambda track, user: track.visible_collections,
        template="publications/_collection_link.html",
        as_name="collection",
        prefetch=lambda user, prefix: Prefetch(
            f"{prefix}collections",
            queryset=Collection.objects.visible_to(user),
            to_attr="visible_collections",
        ),
    ),
)


# Live lists that site pages can show (core.sitepages), published items only.
def _latest(queryset, topic, limit):
    return (queryset.filter(topics__slug=topic) if topic else queryset)[:limit]


registry.add_listing(
    registry.Listing(
        "latest-news",
        "Latest news",
        lambda *, limit, topic=None: _latest(NewsPost.objects.published(), topic, limit),
        template="publications/_news_item.html",
        as_name="post",
        by_topic=True,
        more=lambda: (reverse("news-list"), "All news"),
        order=40,
    )
)
registry.add_listing(
    registry.Listing(
        "latest-articles",
        "From the journal",
        lambda *, limit, topic=None: _latest(
            Article.objects.published()
            .select_related("journal")
            .prefetch_related(
                Prefetch(
                    "authorships",
                    queryset=ArticleAuthor.objects.published()
                    .select_related("person", "affiliation")
                    .order_by("order", "id"),
                )
            ),
            topic,
            limit,
        ),
        template="publications/_article_item.html",
        as_name="article",
        by_topic=True,
        more=lambda: (reverse("article-list"), "The journal"),
        order=50,
    )
)
