"""Atom feeds of the news and of the journal's articles."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import escape

from core.links import absolute_url
from core.references import targets
from core.richtext import refs_in, render_rich_text
from events.feeds import FEED_LENGTH, SiteFeed
from events.models import Person

from .models import Article, ArticleAuthor, NewsPost


def _author(person: Person) -> dict[str, str]:
    return {"name": person.display_name, "uri": absolute_url(person.get_absolute_url())}


class NewsFeed(SiteFeed):
    section = "news"
    subtitle = "News, newest first."
    url_name = "news-feed"
    page_url = "/news/"

    def items(self):
        return (
            NewsPost.objects.published()
            .prefetch_related(
                self.topics_prefetch(),
                Prefetch("authors", queryset=Person.objects.published(), to_attr="public_authors"),
            )
            .order_by("-publish_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: NewsPost) -> str:
        return item.title

    def item_description(self, item: NewsPost) -> str:
        # Plain text, but Atom summaries here are typed as HTML: escape it.
        return escape(item.standfirst)

    def item_authors(self, item: NewsPost) -> list[dict[str, str]]:
        return [_author(person) for person in item.public_authors]


class ArticleFeed(SiteFeed):
    section = "journal articles"
    subtitle = "Articles from the journal, newest first."
    url_name = "article-feed"
    page_url = "/journal/"

    def items(self):
        articles = list(
            Article.objects.published()
            .select_related("journal")
            .prefetch_related(
                self.topics_prefetch(),
                Prefetch(
                    "authorships",
                    queryset=ArticleAuthor.objects.select_related("person").order_by("order", "id"),
                ),
            )
            .order_by("-published_on", "-publish_at", "-pk")[:FEED_LENGTH]
        )
        # The references of every abstract (links, library images) in one go, not per entry.
        refs = [ref for article in articles for ref in refs_in(article.abstract)]
        resolved = targets(refs) if refs else ({}, {})
        for article in articles:
            article.resolved_refs = resolved
        return articles

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # Rich text as a visitor sees it (links to drafts as text); the summary goes out as
        # type="html" too, so it is escaped.
        text = render_rich_text(item.abstract, absolute=True, resolved=item.resolved_refs)
        return text or escape(item.plain_language_summary)

    def item_pubdate(self, item: Article):
        """The journal's date of publication, which may precede its appearance on the site."""
        if item.published_on:
            return timezone.make_aware(datetime.combine(item.published_on, time()))
        return item.publish_at

    def item_authors(self, item: Article) -> list[dict[str, str]]:
        return [
            _author(authorship.person)
            for authorship in item.authorships.all()
            if authorship.person.is_published
        ]
