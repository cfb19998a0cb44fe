"""Under the Content-Security-Policy the API docs and the admin's rich-text editor still work."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_event

pytestmark = pytest.mark.e2e


def violations(page) -> list[str]:
    """Collects the browser's CSP violation reports for this page."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_swagger_ui_renders_the_operations_without_csp_violations(transactional_db, page):
    blocked = violations(page)
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".opblock-tag", timeout=20_000)
    assert page.locator(".opblock").count() > 10
    assert blocked == []


def test_the_rich_text_editor_loads_and_edits_without_csp_violations(transactional_db, page):
    get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-1")
    event = make_event(slug="summit")
    blocked = violations(page)
    page.goto("/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.goto(f"/admin/events/event/{event.pk}/change/")
    # The editor is built by its script; the page also holds hidden ones for empty inline rows.
    editor = page.locator(".ProseMirror:visible").first
    editor.wait_for(timeout=20_000)
    editor.click()
    page.keyboard.type("Typed under a strict policy")
    assert "Typed under a strict policy" in editor.inner_text()
    assert blocked == []
