"""The rich-text editor in a real browser: links to our items survive editing and are picked by
search in the link dialog."""

import pytest

from core.publishing import Status
from core.references import Ref
from publications.models import NewsPost
from tests.factories import make_news_post, make_session, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def test_editor_keeps_references_and_picks_an_item_by_search(live_server, page):
    make_staff(username="editor", superuser=True)
    linked = make_session(title="Open models")
    target = make_session(title="Chips and sovereignty", status=Status.DRAFT)
    post = make_news_post(
        body=(
            f'<p>See <a data-ref="{Ref.to(linked)}">the panel</a> and '
            '<a href="https://example.org/">elsewhere</a>. Then the second talk.</p>'
        )
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

    # Select "second talk" and open the link dialog with the keyboard shortcut.
    editor.evaluate(
        """(root) => {
            const text = [...root.querySelectorAll('p')].pop().lastChild;
            const start = text.textContent.indexOf('second talk');
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + 'second talk'.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )
    editor.press("Control+k")
    dialog = page.locator("dialog.prose-editor-dialog")
    dialog.get_by_role("button", name="Find…").click()
    dialog.locator(".item-link-search").fill("sovereignty")
    dialog.get_by_role("button", name="Chips and sovereignty (session, Draft)").click()
    dialog.get_by_role("button", name="Update").click()

    page.locator("input[name=_continue]").click()
    page.locator(".messagelist .success").wait_for()
    body = NewsPost.objects.get(pk=post.pk).body
    assert f'<a data-ref="{Ref.to(linked)}" rel="noopener noreferrer">the panel</a>' in body
    assert f'<a data-ref="{Ref.to(target)}" rel="noopener noreferrer">second talk</a>' in body
    assert 'href="https://example.org/"' in body
    assert "/events/" not in body
    assert errors == []
