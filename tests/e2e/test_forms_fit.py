"""The editors' forms in a real browser: no page wider than the window at 1280 and 1024 px
(every registered model's add form, and a change form with data under each of its tabs),
every editor toolbar button has its icon and a name, and times in an event's own zone carry
no contradicting "behind server time" notice."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse

from config.management.commands.demo import EDITOR_USERNAME
from initiatives.models import Initiative
from tests.e2e.test_content_security_policy import violations
from tests.test_admin_pages import ROWS

pytestmark = pytest.mark.e2e

PASSWORD = "forms-fit-password-1"
WIDTHS = (1280, 1024)


def sign_in_as_the_demo_editor(page) -> None:
    editor = get_user_model().objects.get(username=EDITOR_USERNAME)
    editor.set_password(PASSWORD)
    editor.save()
    page.goto("/admin/login/")
    page.fill("#id_username", EDITOR_USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.locator("#site-name").wait_for()


def overflow(page) -> int:
    """How many CSS pixels the document is wider than the window."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def too_wide(page, url: str) -> list[str]:
    """Each width (and tab) at which the form at ``url`` is wider than the window."""
    problems = []
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    # Generous: the initiative with its signatories is a long page for a loaded test machine.
    response = page.goto(url, timeout=60_000)
    if response.status != 200:
        return []  # not this editor's to open (accounts, sign-in records)
    tabs = page.locator(".form-tabs [role=tab]")
    names = [tabs.nth(i).inner_text() for i in range(tabs.count())] or [None]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name in names:
            if name is not None:
                page.locator(".form-tabs [role=tab]", has_text=name).click()
            extra = overflow(page)
            if extra > 0:
                problems.append(f"{url} at {width} px{f' ({name})' if name else ''}: +{extra} px")
    return problems


def test_every_add_and_change_form_fits_the_window(demo, page):
    blocked = violations(page)
    sign_in_as_the_demo_editor(page)
    initiative = Initiative.objects.annotate(n=Count("signatories")).order_by("-n").first()
    assert initiative.signatories.count() >= 10  # the wide table the form used to have
    problems = []
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        obj = initiative if model is Initiative else model._default_manager.first()
        if obj is None:
            obj = ROWS[model._meta.label](0)
        problems += too_wide(page, reverse("admin:{}_{}_add".format(*info)))
        problems += too_wide(page, reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    assert problems == []
    assert blocked == []


def test_jurisdictions_are_searched_as_one_types(demo, page):
    sign_in_as_the_demo_editor(page)
    initiative = Initiative.objects.exclude(jurisdictions="").first() or Initiative.objects.first()
    page.goto(reverse("admin:initiatives_initiative_change", args=[initiative.pk]))
    field = page.locator(".field-jurisdictions")
    field.locator(".select2-search__field").fill("Portu")
    option = page.locator(".select2-results__option", has_text="Portugal")
    option.click()
    assert "PT" in page.locator("#id_jurisdictions").evaluate(
        "(select) => [...select.selectedOptions].map((o) => o.value)"
    )


def test_editor_toolbar_buttons_have_icons_and_names(demo, page):
    sign_in_as_the_demo_editor(page)
    initiative = Initiative.objects.first()
    page.goto(reverse("admin:initiatives_initiative_change", args=[initiative.pk]))
    toolbar = page.locator(".field-description .prose-menubar")
    toolbar.wait_for()
    page.evaluate("document.fonts.ready")
    buttons = toolbar.locator("button:visible")
    assert buttons.count() >= 10
    for i in range(buttons.count()):
        button = buttons.nth(i)
        name = button.evaluate(
            "(b) => b.getAttribute('aria-label') || b.title || b.textContent.trim()"
        )
        assert name, button.evaluate("(b) => b.outerHTML")
    # Icons are ligatures of the icon font, which the page has loaded.
    assert page.evaluate("document.fonts.check('24px \"Material Icons\"')")
    # The block-type drop-down draws its marker; no character that fonts lack ("⏷").
    markers = toolbar.locator(".prose-menubar__selected").evaluate_all(
        "(all) => all.map((e) => getComputedStyle(e, '::after').content)"
    )
    assert markers and all(marker in ('""', "none") for marker in markers), markers


def test_event_times_have_no_contradicting_server_time_notice(demo, browser, live_server):
    # A browser far from the events' zones: Django's widget would say "N hours behind".
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        timezone_id="America/Los_Angeles",
    )
    page = context.new_page()
    try:
        sign_in_as_the_demo_editor(page)
        from events.models import Event, Session

        event = Event.objects.first()
        page.goto(reverse("admin:events_event_change", args=[event.pk]), timeout=60_000)
        start = page.locator("div.form-row.field-start").first
        assert "In the event's own time zone" in start.inner_text()
        assert start.locator(".timezonewarning").count() == 0
        assert page.locator(".timezonewarning").count() == 0
        session = Session.objects.first()
        page.goto(reverse("admin:events_session_change", args=[session.pk]), timeout=60_000)
        assert page.locator(".timezonewarning").count() == 0
        # Where times are in the site's zone the browser is told how far it is from it.
        page.goto(reverse("admin:publications_newspost_add"), timeout=60_000)
        assert page.locator(".timezonewarning").count() > 0
    finally:
        context.close()
