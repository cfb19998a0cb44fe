"""Every registered admin's pages answer each role, asking the database as often for one row as
for several: the list, the add form and the change form (with its inline rows)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.webhooks import signing
from tests.factories import (
    add_author,
    add_block,
    add_participant,
    make_article,
    make_collection,
    make_document,
    make_event,
    make_image,
    make_initiative,
    make_journal,
    make_member,
    make_news_post,
    make_organisation,
    make_page,
    make_person,
    make_recording,
    make_session,
    make_signatory,
    make_staff,
    make_topic,
    make_track,
)

pytestmark = pytest.mark.django_db


_numbers = itertools.count(1)


def _user(i: int):
    return get_user_model().objects.create_user(username=f"someone{next(_numbers)}", is_staff=True)


def _access(model_label: str) -> Callable:
    def build(i: int):
        from django.apps import apps

        model = apps.get_model(model_label)
        fields = {"user_agent": "Firefox", "ip_address": "192.0.2.1", "username": f"u{i}"}
        fields.update(http_accept="text/html", path_info="/admin/login/")
        if model_label == "axes.AccessAttempt":
            fields.update(get_data="", post_data="", failures_since_start=1)
        return model.objects.create(**fields)

    return build


def _device(model_label: str) -> Callable:
    def build(i: int):
        from django.apps import apps

        return apps.get_model(model_label).objects.create(user=_user(i), name=f"Phone {i}")

    return build


def _task(i: int):
    from django_tasks_db.models import DBTaskResult

    from core.webhooks.tasks import check_scheduled_webhooks

    check_scheduled_webhooks.enqueue()
    return DBTaskResult.objects.order_by("-enqueued_at").first()


def _redirect(i: int):
    from core.redirects import Redirect

    return Redirect.objects.create(old_path=f"/old/{i}/", target_url="/news/")


def _menu_link(i: int, parent=None):
    from core.menus import MenuItem

    return MenuItem.objects.create(label=f"Link {i}", url=f"/news/?page={i + 1}", parent=parent)


def _pending_change(i: int):
    from core import pending

    post = make_news_post()

    def edit(item):
        item.title = f"Corrected title {i}"
        item.save()

    author = make_staff(username=f"author-{i}", superuser=True)
    return pending.save_change(item=post, data=pending.capture(post, edit), by=author)


def _library_image(i: int):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), (20, 90, 160)).save(buffer, format="PNG")
    image = make_image(file=SimpleUploadedFile(f"i{i}.png", buffer.getvalue()), alt_text="Blue")
    image.tags.add(_media_tag(100 + i))
    return image


def _library_document(i: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return make_document(file=SimpleUploadedFile(f"d{i}.pdf", pdf, "application/pdf"))


def _media_tag(i: int):
    from core.library import MediaTag

    return MediaTag.objects.create(name=f"Tag {i}")


def _log_entry(i: int):
    post = make_news_post()
    return LogEntry.objects.create(
        user=_user(i),
        content_type=ContentType.objects.get_for_model(post),
        object_id=str(post.pk),
        object_repr=str(post),
        action_flag=ADDITION,
    )


def _partner_key(i: int):
    from core.partners import issue_partner_key

    return issue_partner_key(organisation=make_organisation(), name=f"Key {i}")[0]


def _endpoint(i: int):
    from core.models import WebhookEndpoint

    return WebhookEndpoint.objects.create(
        organisation=make_organisation(),
        url=f"https://hooks.example.org/{i}",
        events=["published"],
        secret=signing.new_secret(),
    )


def _delivery(i: int):
    from core.models import WebhookDelivery

    return WebhookDelivery.objects.create(
        endpoint=_endpoint(i), event="published", content_type="news", object_id=str(i)
    )


def _attempt(delivery, i: int):
    from core.models import WebhookAttempt

    WebhookAttempt.objects.create(
        delivery=delivery, number=i + 1, event="published", started_at=timezone.now()
    )


def _reference_rate(i: int):
    from initiatives.models import ReferenceRate

    return ReferenceRate.objects.create(
        currency=("USD", "GBP", "JPY", "CHF")[i], euros_per_unit="0.9", as_of=timezone.now().date()
    )


#: How to make one more row of each registered model (``i`` counts from 0).
ROWS: dict[str, Callable] = {
    "auth.User": _user,
    "auth.Group": lambda i: Group.objects.create(name=f"Group {i}"),
    "axes.AccessAttempt": _access("axes.AccessAttempt"),
    "axes.AccessLog": _access("axes.AccessLog"),
    "axes.AccessFailureLog": _access("axes.AccessFailureLog"),
    "otp_totp.TOTPDevice": _device("otp_totp.TOTPDevice"),
    "otp_static.StaticDevice": _device("otp_static.StaticDevice"),
    "django_tasks_database.DBTaskResult": _task,
    "core.Redirect": _redirect,
    "core.MenuItem": _menu_link,
    "sitepages.Page": lambda i: make_page(),
    "core.Image": _library_image,
    "core.Document": _library_document,
    "core.MediaTag": _media_tag,
    "core.PendingChange": _pending_change,
    "admin.LogEntry": _log_entry,
    "core.PartnerKey": _partner_key,
    "core.WebhookEndpoint": _endpoint,
    "core.WebhookDelivery": _delivery,
    "events.Topic": lambda i: make_topic(),
    "events.Organisation": lambda i: make_organisation(country="FR"),
    "events.Person": lambda i: make_person(),
    "events.Event": lambda i: make_event(country="FR"),
    "events.Session": lambda i: make_session(),
    "events.Track": lambda i: make_track(),
    "events.Recording": lambda i: make_recording(),
    "initiatives.Initiative": lambda i: make_initiative(jurisdictions=["FR", "DE"]),
    "initiatives.Signatory": lambda i: make_signatory(make_initiative()),
    "initiatives.ReferenceRate": _reference_rate,
    "publications.Journal": lambda i: make_journal(),
    "publications.Collection": lambda i: make_collection(),
    "publications.Article": lambda i: make_article(),
    "publications.NewsPost": lambda i: make_news_post(),
}

#: How to give the item whose change form is measured one more inline row.
CHILDREN: dict[str, Callable] = {
    "events.Event": lambda event, i: (
        make_track(event=event),
        make_session(event=event),
    ),
    "events.Session": lambda session, i: add_participant(session, make_person(), order=i),
    "initiatives.Initiative": lambda item, i: make_signatory(
        item, organisation=make_organisation()
    ),
    "publications.Article": lambda article, i: add_author(article, make_person(), order=i),
    "core.WebhookDelivery": _attempt,
    "core.MenuItem": lambda link, i: _menu_link(10 + i, parent=link),
    "sitepages.Page": lambda page, i: add_block(page, "heading", heading=f"Part {i}"),
}

#: Administrators see what editors do, and the accounts (as the superuser does).
ROLES = ("Contributors", "Editors", "superuser")


def _registered() -> list[str]:
    return sorted(model._meta.label for model in admin.site._registry)


def test_every_registered_model_has_rows_for_the_page_checks():
    missing = sorted(set(_registered()) - set(ROWS))
    assert not missing, f"add a row builder to ROWS in {__name__} for: {missing}"


def _user_for(role: str):
    if role == "superuser":
        return make_staff(username="root", superuser=True)
    return make_member(username=role.lower(), group=role)


def _pages(model, obj) -> dict[str, str]:
    info = model._meta.app_label, model._meta.model_name
    return {
        "list": reverse("admin:{}_{}_changelist".format(*info)),
        "add": reverse("admin:{}_{}_add".format(*info)),
        "change": reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
    }


def _answers(client, pages: dict[str, str]) -> dict[str, int]:
    return {name: client.get(url).status_code for name, url in pages.items()}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", [label for label in _registered() if label in ROWS])
def test_admin_pages_answer_each_role_with_the_same_queries_for_one_row_and_several(
    client, django_assert_num_queries, label, role
):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    build, add_child = ROWS[label], CHILDREN.get(label)
    first = build(0)
    if add_child:
        add_child(first, 0)
    user = _user_for(role)
    client.force_login(user)
    pages = _pages(model, first)
    statuses = _answers(client, pages)  # warms the caches a first request fills
    assert set(statuses.values()) <= {200, 403}, statuses
    if role in ("Editors", "superuser") and label.split(".")[0] in (
        "events",
        "initiatives",
        "publications",
    ):
        assert statuses["list"] == 200 and statuses["change"] == 200, statuses

    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == statuses[name]
        counts[name] = len(q.captured_queries)

    for i in range(1, 4):
        build(i)
        if add_child:
            add_child(first, i)
    for name, url in pages.items():
        with django_assert_num_queries(counts[name]):
            assert client.get(url).status_code == statuses[name]
