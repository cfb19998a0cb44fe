"""The media library: where an item is used, refused and allowed deletes, replacing a file,
focal-point crops, the choosers, the admin list, and the move of existing images into it."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from core.images import crop_box, crop_name, rendition_name, rendition_url
from core.library import Image, MediaTag, usages
from events.models import Event
from tests.factories import (
    admin_form_data,
    check_admin_pages,
    make_event,
    make_image,
    make_member,
    make_news_post,
)

pytestmark = pytest.mark.django_db

RED = (220, 20, 20)
WHITE = (255, 255, 255)


def upload(size=(400, 300), color=(20, 90, 160), name="photo.jpg", image_format="JPEG"):
    buffer = BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def with_red_square(size=(1000, 500), square=(700, 200, 800, 300)) -> SimpleUploadedFile:
    """A white PNG with one red square: a feature whose place in a crop can be checked."""
    picture = PILImage.new("RGB", size, WHITE)
    picture.paste(RED, square)
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    return SimpleUploadedFile("square.png", buffer.getvalue(), content_type="image/png")


def is_red(pixel) -> bool:
    return pixel[0] > 180 and pixel[1] < 80 and pixel[2] < 80


@pytest.fixture
def editor(client):
    user = make_member(username="edna", group="Editors")
    client.force_login(user)
    return user


# Where an image is used


def test_usage_list_names_every_item_that_uses_the_image(client, editor):
    image = make_image(file=upload(), title="Summit hall")
    event = make_event(title="Paris AI Action Summit", image=image, image_alt="The hall")
    post = make_news_post(title="Summit opens", image=image, image_alt="The hall")
    make_image(file=upload(), title="Unused")

    assert [(u.model, u.pk) for u in usages(image)] == [(Event, event.pk), (type(post), post.pk)]
    html = client.get(reverse("admin:core_image_change", args=[image.pk])).content.decode()
    assert "Paris AI Action Summit" in html and "Summit opens" in html
    assert reverse("admin:events_event_change", args=[event.pk]) in html


def test_usage_list_counts_rich_text_that_refers_to_the_image():
    image = make_image(file=upload())
    event = make_event(description=f'<p>See <a data-ref="core.image:{image.pk}">it</a></p>')
    assert [(u.model, u.pk) for u in usages(image)] == [(Event, event.pk)]


def test_usage_list_is_for_the_admin_only(client):
    image = make_image(file=upload())
    make_event(image=image, image_alt="x", title="Draft plans", status="draft")
    response = client.get(reverse("admin:core_image_change", args=[image.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


# Deleting


def test_deleting_a_used_image_is_refused_with_the_list(client, editor):
    image = make_image(file=upload(), title="Summit hall")
    event = make_event(title="Paris AI Action Summit", image=image, image_alt="The hall")
    url = reverse("admin:core_image_delete", args=[image.pk])

    page = client.get(url).content.decode()
    assert "cannot be deleted while it is used" in page
    assert "Paris AI Action Summit" in page and 'name="post"' not in page
    client.post(url, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()
    event.refresh_from_db()
    assert event.image_id == image.pk


def test_bulk_delete_is_refused_when_one_image_is_used(client, editor):
    used = make_image(file=upload(), title="Used")
    unused = make_image(file=upload(), title="Unused")
    make_event(title="Paris AI Action Summit", image=used, image_alt="x")
    data = {"action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"}
    response = client.post(reverse("admin:core_image_changelist"), data)
    assert "Nothing was deleted" in response.content.decode()
    assert "Paris AI Action Summit" in response.content.decode()
    assert Image.objects.count() == 2


def test_an_unused_image_is_deleted_with_its_renditions(client, editor):
    image = make_image(file=upload(size=(800, 600)))
    name = rendition_name(image.file.name, 320)
    rendition_url(image.file, 320)
    assert default_storage.exists(name)
    url = reverse("admin:core_image_delete", args=[image.pk])
    assert 'name="post"' in client.get(url).content.decode()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Image.objects.filter(pk=image.pk).exists()
    assert not default_storage.exists(name)


# Replacing a file


def test_replacing_the_file_keeps_references_and_renews_the_renditions(client, editor):
    image = make_image(file=upload(size=(1200, 800)), title="Hall", alt_text="The hall")
    event = make_event(image=image)
    old_file = image.file.name
    old = rendition_name(old_file, 320)
    rendition_url(image.file, 320)
    assert default_storage.exists(old)

    url = reverse("admin:core_image_change", args=[image.pk])
    data = admin_form_data(client.get(url))
    data["file"] = upload(size=(900, 600), color=(200, 200, 0), name="new.png", image_format="PNG")
    assert client.post(url, data).status_code == 302

    image.refresh_from_db()
    assert image.file.name != old_file and image.file.name.endswith(".png")
    assert not default_storage.exists(old)  # the old file's renditions are gone
    assert default_storage.exists(rendition_name(image.file.name, 160))  # thumbnail made now
    event.refresh_from_db()
    assert event.image_id == image.pk
    html = client.get(event.get_absolute_url()).content.decode()
    assert rendition_url(image.file, 640) in html


# Focal-point crops


def test_crop_box_is_centred_on_the_focal_point_and_clamped_to_the_picture():
    assert crop_box((1000, 500), 1.0, (0.5, 0.5)) == (250, 0, 750, 500)
    assert crop_box((1000, 500), 1.0, (0.75, 0.5)) == (500, 0, 1000, 500)
    assert crop_box((1000, 500), 1.0, (0.98, 0.5)) == (500, 0, 1000, 500)  # clamped right
    assert crop_box((1000, 500), 1.0, (0.0, 0.0)) == (0, 0, 500, 500)  # clamped left
    assert crop_box((600, 1200), 1200 / 630, (0.5, 0.1)) == (0, 0, 600, 315)  # clamped top
    assert crop_box((600, 1200), 1200 / 630, (0.5, 0.5)) == (0, 442, 600, 757)


def open_crop(url: str) -> PILImage.Image:
    name = url.removeprefix(default_storage.base_url)
    with default_storage.open(name) as handle:
        picture = PILImage.open(handle)
        picture.load()
    return picture


def test_square_crop_keeps_the_feature_at_the_focal_point():
    image = make_image(file=with_red_square(), focal_x=0.75, focal_y=0.5)
    crop = open_crop(image.crop_url(400, 400))
    assert crop.size == (400, 400)
    # The box is x 500-1000 of the source, scaled by 0.8: the square (700-800) lands at 160-240.
    assert is_red(crop.getpixel((200, 200)))
    assert not is_red(crop.getpixel((100, 200))) and not is_red(crop.getpixel((300, 200)))


def test_crop_without_a_focal_point_near_the_feature_leaves_it_out():
    image = make_image(file=with_red_square(), focal_x=0.1, focal_y=0.5)
    crop = open_crop(image.crop_url(400, 400))
    assert not any(is_red(crop.getpixel((x, 200))) for x in range(0, 400, 10))


def test_crop_never_upscales_a_small_picture():
    image = make_image(file=upload(size=(300, 300)))
    crop = open_crop(image.crop_url(1200, 630))
    assert crop.size == (300, 158)


def test_moving_the_focal_point_makes_new_crops_and_deletes_the_old(client, editor):
    image = make_image(file=with_red_square(), focal_x=0.75, focal_y=0.5)
    old_crop = crop_name(image.file.name, 400, 400, (0.75, 0.5))
    image.crop_url(400, 400)
    width = rendition_name(image.file.name, 320)
    rendition_url(image.file, 320)

    url = reverse("admin:core_image_change", args=[image.pk])
    data = admin_form_data(client.get(url), focal_x="0.2", focal_y="0.4")
    assert client.post(url, data).status_code == 302

    image.refresh_from_db()
    assert image.focal_point == (0.2, 0.4)
    assert not default_storage.exists(old_crop)
    assert default_storage.exists(width)  # plain widths do not depend on the focal point
    assert image.crop_url(400, 400).endswith(crop_name(image.file.name, 400, 400, (0.2, 0.4)))


def test_focal_point_outside_the_picture_is_refused(client, editor):
    image = make_image(file=upload())
    url = reverse("admin:core_image_change", args=[image.pk])
    response = client.post(url, admin_form_data(client.get(url), focal_x="1.5"))
    assert response.status_code == 200
    assert "focal_x" in response.context["adminform"].form.errors


def test_change_page_offers_the_focal_point_picker_from_a_static_script(client, editor):
    image = make_image(file=upload(), alt_text="A hall")
    html = client.get(reverse("admin:core_image_change", args=[image.pk])).content.decode()
    assert "data-focal-picker" in html
    assert re.search(r'<script src="[^"]*admin-extra/focal-point\.js"', html)
    assert 'name="focal_x"' in html and 'name="focal_y"' in html  # the fallback without JS


# Upload checks through the library


def test_library_upload_refuses_a_text_file_named_jpg(client, editor):
    fake = SimpleUploadedFile("photo.jpg", b"hello " * 50, content_type="image/jpeg")
    data = {"title": "Fake", "file": fake, "focal_x": "0.5", "focal_y": "0.5"}
    response = client.post(reverse("admin:core_image_add"), data)
    assert response.status_code == 200
    assert "not a readable image" in response.content.decode()
    assert not Image.objects.exists()


def test_library_document_must_be_a_pdf(client, editor):
    fake = SimpleUploadedFile("report.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(reverse("admin:core_document_add"), {"title": "R", "file": fake})
    assert "This file is not a PDF." in response.content.decode()


# Choosing


def test_item_image_is_chosen_by_searching_the_library(client, editor):
    image = make_image(file=upload(), title="Grand Palais at night")
    make_image(file=upload(), title="Unrelated")
    event = make_event()
    html = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert re.search(r'<select name="image"[^>]*data-ajax--url', html)
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "palais", "app_label": "events", "model_name": "event", "field_name": "image"},
    ).json()
    assert [row["text"] for row in found["results"]] == [image.title]


# The admin list


def make_listed_image():
    image = make_image(file=upload(size=(200, 100)))
    image.tags.add(MediaTag.objects.get_or_create(name="summit")[0])
    make_event(image=image, image_alt="x")
    return image


def test_image_changelist_with_thumbnails_asks_the_same_number_of_queries(
    client, django_assert_num_queries
):
    check_admin_pages(
        client,
        django_assert_num_queries,
        name="core_image",
        make=make_listed_image,
        queries={"changelist": 8, "search": 8, "add": 5, "change": 14},
    )


def test_changelist_filters_by_use_and_tag(client, editor):
    used = make_listed_image()
    unused = make_image(file=upload(), title="Spare")
    unused.tags.add(MediaTag.objects.create(name="spare"))  # its tags are not a use of it
    url = reverse("admin:core_image_changelist")
    listed = lambda **query: list(client.get(url, query).context["cl"].result_list)  # noqa: E731
    assert listed(use="used") == [used]
    assert listed(use="unused") == [unused]
    assert listed(tags__id__exact=used.tags.get().pk) == [used]
    assert listed(kind="jpeg") == [unused, used]
    assert listed(q="summit") == [used]


# Existing images moved into the library

#: The last migrations before the content apps' files moved into the library.
BEFORE_THE_LIBRARY = [
    ("events", "0010_search_vectors_and_indexes"),
    ("publications", "0005_search_vectors_and_indexes"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_item_images_become_library_images_and_keep_rendering(client):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE_THE_LIBRARY)
    before = BEFORE_THE_LIBRARY
    old_apps = executor.loader.project_state(before).apps
    name = default_storage.save("images/2025/02/hall.jpg", upload(size=(800, 400)))
    OldEvent = old_apps.get_model("events", "Event")
    when = {"start": timezone.now() - timedelta(days=3), "end": timezone.now() - timedelta(days=2)}
    event = OldEvent.objects.create(
        title="Summit",
        slug="summit",
        status="published",
        publish_at=timezone.now() - timedelta(days=1),
        image=name,
        image_alt="The hall in Paris",
        **when,
    )
    OldEvent.objects.create(title="Twin", slug="twin", image=name, **when)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    migrated = Event.objects.select_related("image").get(pk=event.pk)
    assert migrated.image.file.name == name
    assert migrated.image.alt_text == "The hall in Paris" and migrated.image.title == "Summit"
    assert Image.objects.count() == 1  # one file, one library image
    assert Event.objects.get(slug="twin").image_id == migrated.image_id
    html = client.get(migrated.get_absolute_url()).content.decode()
    assert 'alt="The hall in Paris"' in html and rendition_url(migrated.image.file, 320) in html
    assert Path(default_storage.path(name)).exists()
