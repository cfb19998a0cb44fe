"""The rich-text editor in a real browser: an image is chosen from the media library with the
toolbar's named button and stored as a reference, and an image already in a text survives
editing."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from publications.models import NewsPost
from tests.factories import make_image, make_news_post, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def upload(name: str) -> SimpleUploadedFile:
    buffer = BytesIO()
    PILImage.new("RGB", (600, 400), (20, 90, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_toolbar_button_inserts_an_image_from_the_library(live_server, page):
    make_staff(username="editor", superuser=True)
    kept = make_image(file=upload("stage.jpg"), title="Stage", alt_text="The stage")
    hall = make_image(file=upload("hall.jpg"), title="Summit hall", alt_text="The hall")
    post = make_news_post(
        body=f'<p>Opening day.</p><figure><img data-ref="core.image:{kept.pk}"></figure>'
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"/admin/publications/newspost/{post.pk}/change/")
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor.wait_for()
    # The stored image is shown in the editor by its thumbnail.
    page.locator(".field-body figure.library-image img[src*='preview']").wait_for()

    editor.locator("p").first.click()
    page.locator(".field-body").get_by_role("button", name="Image from the library").click()
    dialog = page.locator("dialog.prose-editor-dialog")
    dialog.get_by_role("button", name="Find…").click()
    dialog.get_by_role("searchbox", name="Search the media library").fill("summit")
    dialog.get_by_role("button", name="Summit hall").click()
    dialog.get_by_label("Alternative text here").fill("Delegates in the hall")
    dialog.get_by_label("Caption").fill("The plenary")
    dialog.get_by_role("button", name="Insert").click()

    page.locator("input[name=_continue]").click()
    page.locator(".messagelist .success").wait_for()
    body = NewsPost.objects.get(pk=post.pk).body
    assert (
        f'<figure><img data-ref="core.image:{hall.pk}" alt="Delegates in the hall">'
        "<figcaption>The plenary</figcaption></figure>"
    ) in body
    assert f'<figure><img data-ref="core.image:{kept.pk}"></figure>' in body
    assert "src=" not in body
    assert errors == []
