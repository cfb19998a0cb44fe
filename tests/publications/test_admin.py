"""The editors' admin for the journal and news: pages answer with query counts that do not grow."""

from __future__ import annotations

import pytest

from tests.factories import (
    add_author,
    check_admin_pages,
    make_article,
    make_collection,
    make_journal,
    make_news_post,
    make_person,
    make_track,
)

pytestmark = pytest.mark.django_db


def article_with_author():
    article = make_article()
    add_author(article, make_person(), is_corresponding=True)
    return article


@pytest.mark.parametrize(
    ("name", "make", "queries"),
    [
        (
            "publications_journal",
            make_journal,
            {"changelist": 9, "search": 9, "add": 8, "change": 10},
        ),
        (
            "publications_collection",
            lambda: make_collection(track=make_track()),
            {"changelist": 10, "search": 10, "add": 8, "change": 15},
        ),
        (
            "publications_article",
            article_with_author,
            {"changelist": 10, "search": 10, "add": 8, "change": 18},
        ),
        (
            "publications_newspost",
            make_news_post,
            {"changelist": 9, "search": 9, "add": 8, "change": 19},
        ),
    ],
)
def test_admin_pages_answer_an_editor_with_queries_that_do_not_grow(
    client, django_assert_num_queries, name, make, queries
):
    check_admin_pages(client, django_assert_num_queries, name=name, make=make, queries=queries)


def test_article_revision_keeps_its_authors_and_reverting_restores_them():
    import reversion
    from reversion.models import Version

    from publications.models import ArticleAuthor

    article = make_article()
    first_author = make_person()
    with reversion.create_revision():
        add_author(article, first_author)
        article.save()
    ArticleAuthor.objects.filter(article=article).delete()
    add_author(article, make_person())

    Version.objects.get_for_object(article).first().revision.revert(delete=True)
    assert list(article.authorships.values_list("person", flat=True)) == [first_author.pk]
