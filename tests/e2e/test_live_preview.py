"""The live preview in a real browser: what the editor types shows in the panel at each width
under the site's Content-Security-Policy, the accessibility checker lists a known problem and
outlines it, and publishing with that problem asks for a confirmation first."""

import pytest
from playwright.sync_api import expect

from core.publishing import Status
from publications.models import NewsPost
from tests.factories import make_news_post, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def settled(page) -> None:
    """Wait for the panel's preview (opened again on each page) to be shown: until then its
    request may hold the test database's write lock."""
    expect(page.locator(".live-preview-status")).to_have_text(
        "Preview of the unsaved form.", timeout=15_000
    )


def test_editor_previews_typing_checks_accessibility_and_confirms_publishing(live_server, page):
    make_staff(username="editor", superuser=True)
    post = make_news_post(
        title="Saved title",
        status=Status.DRAFT,
        # An empty link: a serious problem for screen-reader users (axe's "link-name").
        body='<p>Read <a href="https://example.org/report"></a> today.</p>',
    )
    errors, violations = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content-Security-Policy" in message.text
            or "Content Security Policy" in message.text
            else None
        ),
    )

    page.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"/admin/publications/newspost/{post.pk}/change/")

    page.get_by_role("button", name="Live preview").click()
    panel = page.locator("#live-preview")
    frame = page.frame_locator("#live-preview iframe")
    frame.locator("h1", has_text="Saved title").wait_for()

    page.fill("#id_title", "Typed but not saved")
    frame.locator("h1", has_text="Typed but not saved").wait_for()
    # The page in the frame is the public page, styled by the site's stylesheet.
    assert frame.locator(".site-header").count() == 1
    expect(frame.locator("main")).not_to_have_css("max-width", "none")

    iframe = panel.locator("iframe")
    for label, width in (("Phone", 375), ("Tablet", 768), ("Desktop", 1280)):
        panel.get_by_role("button", name=label).click()
        assert iframe.evaluate("(el) => el.style.width") == f"{width}px"
        assert frame.locator("html").evaluate("() => window.innerWidth") == width
        box = iframe.bounding_box()
        assert box["width"] <= panel.bounding_box()["width"]

    panel.get_by_role("button", name="Check accessibility").click()
    problem = panel.locator(".live-preview-problem[data-rule=link-name]")
    problem.wait_for()
    assert "serious" in problem.inner_text().lower()
    empty_link = frame.locator("a[href='https://example.org/report']")
    for attempt in range(3):  # a refresh of the frame that lands just after it clears the outline
        problem.locator("button[data-selector]").first.click()
        try:
            expect(empty_link).to_have_css("outline-style", "solid", timeout=3_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    assert NewsPost.objects.get(pk=post.pk).title == "Saved title"

    # Publishing with the serious problem asks for a confirmation, then goes ahead.
    page.locator("#form-tab-publishing").click()  # the status is under the Publishing tab
    page.select_option("#id_status", Status.PUBLISHED)
    page.locator("input[name=_continue]").click()
    confirm = page.locator("#id_publish_despite_problems")
    confirm.wait_for()
    assert "Links must have discernible text" in page.content()
    settled(page)
    assert NewsPost.objects.get(pk=post.pk).status == Status.DRAFT
    confirm.check()
    page.locator("input[name=_continue]").click()
    page.locator(".messagelist .success").wait_for()
    settled(page)
    saved = NewsPost.objects.get(pk=post.pk)
    assert saved.status == Status.PUBLISHED and saved.title == "Typed but not saved"
    assert errors == []
    assert violations == []
