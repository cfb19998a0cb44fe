"""Plain helpers that make valid objects with sensible defaults; pass keywords to override.

Every helper creates a *published* object unless told otherwise (``status=Status.DRAFT``),
because most tests look at what the public sees.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files import File
from django.utils import timezone

from core.library import Document, Image
from core.publishing import Status
from core.sitepages.models import Page, PageBlock
from events.models import (
    Event,
    Organisation,
    Person,
    Recording,
    Session,
    SessionParticipant,
    Topic,
    Track,
)
from initiatives.models import Initiative, Signatory
from publications.models import Article, ArticleAuthor, Collection, Journal, NewsPost

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def make_image(**kwargs) -> Image:
    """A library image; ``file`` is an upload (checked and stripped like any other)."""
    kwargs.setdefault("title", f"Image {_n()}")
    return Image.objects.create(**kwargs)


def make_document(**kwargs) -> Document:
    """A library PDF; ``file`` is an upload."""
    kwargs.setdefault("title", f"Document {_n()}")
    document = Document(**kwargs)
    document.full_clean()
    document.save()
    return document


def _published(kwargs: dict) -> dict:
    if isinstance(kwargs.get("image"), File):
        # An uploaded file given as an item's image goes into the library first.
        kwargs["image"] = make_image(file=kwargs["image"])
    kwargs.setdefault("status", Status.PUBLISHED)
    if kwargs["status"] == Status.PUBLISHED:
        kwargs.setdefault("publish_at", timezone.now() - timedelta(days=1))
    return kwargs


def make_topic(**kwargs) -> Topic:
    n = _n()
    kwargs.setdefault("name", f"Topic {n}")
    kwargs.setdefault("slug", f"topic-{n}")
    return Topic.objects.create(**_published(kwargs))


def make_organisation(**kwargs) -> Organisation:
    n = _n()
    kwargs.setdefault("name", f"Organisation {n}")
    kwargs.setdefault("slug", f"organisation-{n}")
    return Organisation.objects.create(**_published(kwargs))


def make_person(**kwargs) -> Person:
    n = _n()
    kwargs.setdefault("name", f"Person Number{n}")
    kwargs.setdefault("slug", f"person-{n}")
    return Person.objects.create(**_published(kwargs))


def make_event(**kwargs) -> Event:
    n = _n()
    tz = ZoneInfo(kwargs.setdefault("timezone", "Europe/Paris"))
    kwargs.setdefault("title", f"Event {n}")
    kwargs.setdefault("slug", f"event-{n}")
    kwargs.setdefault("start", datetime(2025, 2, 10, 9, 0, tzinfo=tz))
    kwargs.setdefault("end", kwargs["start"] + timedelta(days=1, hours=9))
    return Event.objects.create(**_published(kwargs))


def make_track(**kwargs) -> Track:
    n = _n()
    if "event" not in kwargs:
        kwargs["event"] = make_event()
    kwargs.setdefault("title", f"Track {n}")
    kwargs.setdefault("slug", f"track-{n}")
    return Track.objects.create(**kwargs)


def make_session(**kwargs) -> Session:
    n = _n()
    if "event" not in kwargs:
        kwargs["event"] = make_event()
    kwargs.setdefault("title", f"Session {n}")
    kwargs.setdefault("slug", f"session-{n}")
    kwargs.setdefault("start", kwargs["event"].start + timedelta(hours=1))
    if "end" not in kwargs:
        kwargs["end"] = kwargs["start"] + timedelta(hours=1) if kwargs["start"] else None
    return Session.objects.create(**_published(kwargs))


def add_participant(session: Session, person: Person, **kwargs) -> SessionParticipant:
    return SessionParticipant.objects.create(session=session, person=person, **kwargs)


def make_recording(**kwargs) -> Recording:
    n = _n()
    kwargs.setdefault("title", f"Recording {n}")
    kwargs.setdefault("slug", f"recording-{n}")
    kwargs.setdefault("url", f"https://video.example.org/watch/{n}")
    kwargs.setdefault("duration", timedelta(minutes=45))
    return Recording.objects.create(**_published(kwargs))


def make_initiative(**kwargs) -> Initiative:
    n = _n()
    kwargs.setdefault("title", f"Initiative {n}")
    kwargs.setdefault("slug", f"initiative-{n}")
    kwargs.setdefault("kind", Initiative.Kind.INVESTMENT)
    return Initiative.objects.create(**_published(kwargs))


def make_signatory(initiative: Initiative, **kwargs) -> Signatory:
    if "organisation" not in kwargs:
        kwargs.setdefault("country", "FR")
    return Signatory.objects.create(initiative=initiative, **kwargs)


def make_journal(**kwargs) -> Journal:
    n = _n()
    kwargs.setdefault("title", f"Journal {n}")
    kwargs.setdefault("slug", f"journal-{n}")
    return Journal.objects.create(**_published(kwargs))


def make_collection(**kwargs) -> Collection:
    n = _n()
    if "journal" not in kwargs:
        kwargs["journal"] = make_journal()
    kwargs.setdefault("title", f"Collection {n}")
    kwargs.setdefault("slug", f"collection-{n}")
    return Collection.objects.create(**_published(kwargs))


def make_article(**kwargs) -> Article:
    n = _n()
    if "journal" not in kwargs:
        kwargs["journal"] = make_journal()
    kwargs.setdefault("title", f"Article {n}")
    kwargs.setdefault("slug", f"article-{n}")
    kwargs.setdefault("published_on", timezone.now().date())
    return Article.objects.create(**_published(kwargs))


def add_author(article: Article, person: Person, **kwargs) -> ArticleAuthor:
    return ArticleAuthor.objects.create(article=article, person=person, **kwargs)


def make_news_post(**kwargs) -> NewsPost:
    n = _n()
    kwargs.setdefault("title", f"News {n}")
    kwargs.setdefault("slug", f"news-{n}")
    kwargs.setdefault("standfirst", "A short summary.")
    kwargs.setdefault("body", "<p>Body text.</p>")
    return NewsPost.objects.create(**_published(kwargs))


def make_page(**kwargs) -> Page:
    n = _n()
    kwargs.setdefault("title", f"Page {n}")
    kwargs.setdefault("slug", f"page-{n}")
    return Page.objects.create(**_published(kwargs))


def add_block(page: Page, kind: str, **kwargs) -> PageBlock:
    """A block at the end of ``page``'s body, validated as the admin validates it."""
    kwargs.setdefault("order", page.blocks.count() + 1)
    block = PageBlock(page=page, kind=kind, **kwargs)
    block.full_clean()
    block.save()
    return block


def make_staff(*, username: str = "editor", perms: list[str] | None = None, superuser=False):
    """A staff user; ``perms`` are 'app_label.codename' strings."""
    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery staple", is_staff=True
    )
    if superuser:
        user.is_superuser = True
        user.save()
    for perm in perms or []:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def make_member(*, username: str, group: str):
    """A staff user in one of the editorial groups (Contributors, Editors, Administrators)."""
    from django.contrib.auth.models import Group

    user = make_staff(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


def admin_form_data(response, **overrides) -> dict:
    """The POST data an admin change/add form would send as rendered in ``response``.

    Includes the inline formsets' management forms; ``overrides`` replace single fields.
    """
    from django import forms

    data: dict = {}
    form_list = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        form_list += list(formset.forms)
    for form in form_list:
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            value = form[name].value()
            if isinstance(field.widget, forms.MultiWidget):
                parts = field.widget.decompress(value) if value else []
                for i in range(len(field.widget.widgets)):
                    part = parts[i] if i < len(parts) else None
                    data[f"{key}_{i}"] = "" if part is None else str(part)
            elif isinstance(field, forms.FileField):
                continue  # files are not re-sent; the stored one is kept
            elif isinstance(field, forms.BooleanField):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)
    data.update(overrides)
    return data


def check_admin_pages(client, assert_num_queries, *, name: str, make, queries: dict) -> None:
    """Changelist (with 1 and with 5 rows, and searched for a word of the first row's name
    when ``queries`` has "search"), add and change pages of admin ``name`` answer 200 to an
    editor, each with the number of queries in ``queries`` whatever the number of rows."""
    from django.urls import reverse

    client.force_login(make_member(username=f"editor-{_n()}", group="Editors"))
    first = make()
    changelist = reverse(f"admin:{name}_changelist")
    term = {"q": str(first).split()[0]}
    client.get(changelist)  # content types and permissions caches warm up once per process
    with assert_num_queries(queries["changelist"]):
        assert client.get(changelist).status_code == 200
    if "search" in queries:
        with assert_num_queries(queries["search"]):
            response = client.get(changelist, term)
        assert response.status_code == 200
        assert response.context["cl"].result_count >= 1
    for _ in range(4):
        make()
    with assert_num_queries(queries["changelist"]):
        response = client.get(changelist)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 5
    if "search" in queries:
        with assert_num_queries(queries["search"]):
            assert client.get(changelist, term).status_code == 200
    with assert_num_queries(queries["add"]):
        assert client.get(reverse(f"admin:{name}_add")).status_code == 200
    with assert_num_queries(queries["change"]):
        assert client.get(reverse(f"admin:{name}_change", args=[first.pk])).status_code == 200
