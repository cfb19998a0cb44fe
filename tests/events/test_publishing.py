"""The shared publishing mechanism: what counts as public, and when."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.publishing import Status
from events.models import Event, Person, Session
from initiatives.models import Initiative
from publications.models import Article, NewsPost
from tests.factories import (
    make_article,
    make_event,
    make_initiative,
    make_news_post,
    make_person,
    make_session,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("make", "model"),
    [
        (make_event, Event),
        (make_person, Person),
        (make_initiative, Initiative),
        (make_article, Article),
        (make_news_post, NewsPost),
    ],
)
def test_drafts_in_review_archived_and_rejected_never_come_out_of_published(make, model):
    public = make()
    for status in (Status.DRAFT, Status.REVIEW, Status.ARCHIVED, Status.REJECTED):
        make(status=status)
    assert list(model.objects.published()) == [public]


def test_scheduled_item_becomes_public_at_its_publish_time():
    at = timezone.now() + timedelta(hours=2)
    post = make_news_post(publish_at=at)
    assert post not in NewsPost.objects.published()
    assert post not in NewsPost.objects.published(at=at - timedelta(seconds=1))
    assert post in NewsPost.objects.published(at=at)


def test_item_stops_being_public_at_its_unpublish_time():
    until = timezone.now() + timedelta(hours=1)
    post = make_news_post(unpublish_at=until)
    assert post in NewsPost.objects.published()
    assert post in NewsPost.objects.published(at=until - timedelta(seconds=1))
    assert post not in NewsPost.objects.published(at=until)


def test_session_of_a_draft_event_is_not_public():
    draft_event = make_event(status=Status.DRAFT)
    session = make_session(event=draft_event)
    assert session not in Session.objects.published()
    draft_event.status = Status.PUBLISHED
    draft_event.publish_at = timezone.now()
    draft_event.save()
    assert session in Session.objects.published()


def test_published_without_publication_time_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_news_post(status=Status.PUBLISHED, publish_at=None)


def test_clean_fills_in_the_publication_time_when_publishing():
    post = make_news_post(status=Status.DRAFT)
    post.status = Status.PUBLISHED
    post.full_clean()
    assert post.publish_at is not None
    assert post.publish_at <= timezone.now()


def test_staff_with_view_permission_can_preview_drafts_others_cannot(django_user_model):
    draft = make_news_post(status=Status.DRAFT)
    editor = make_staff(perms=["publications.view_newspost"])
    staff_without_permission = make_staff(username="intern")
    visitor = django_user_model.objects.create_user(username="visitor")
    assert draft in NewsPost.objects.visible_to(editor)
    assert draft not in NewsPost.objects.visible_to(staff_without_permission)
    assert draft not in NewsPost.objects.visible_to(visitor)
    assert draft not in NewsPost.objects.visible_to(None)


def test_is_published_agrees_with_the_queryset():
    public = make_news_post()
    scheduled = make_news_post(publish_at=timezone.now() + timedelta(days=1))
    draft = make_news_post(status=Status.DRAFT)
    assert public.is_published
    assert not scheduled.is_published
    assert not draft.is_published
