"""The event page in a browser: the timetable, "My agenda" kept in the browser, its calendar,
now and next, at desktop and phone widths."""

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import expect

from core.publishing import Status
from events.models import Event, Session
from tests.factories import make_event, make_session

pytestmark = pytest.mark.e2e

SUMMIT = "/events/paris-ai-action-summit-2025/"
PARIS = ZoneInfo("Europe/Paris")


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def timed_summit(demo):
    """The demo summit with a few timed sessions of the test's own (the demo's sessions have
    no published times), and a draft among them."""
    summit = Event.objects.get(slug="paris-ai-action-summit-2025")
    day = datetime(2025, 2, 10, tzinfo=PARIS)
    for title, hour, minutes, room in (
        ("Test opening", 9, 60, "Nef"),
        ("Test panel one", 10, 60, "Nef"),
        ("Test panel two", 10, 90, "Salon d'honneur"),
        ("Test workshop", 11, 45, "Salon d'honneur"),
    ):
        start = day.replace(hour=hour)
        make_session(event=summit, title=title, slug=slugify(title), start=start,
                     end=start + timedelta(minutes=minutes), room=room)  # fmt: skip
    make_session(event=summit, title="Test draft", start=day.replace(hour=9), room="Nef",
                 status=Status.DRAFT)  # fmt: skip
    return demo


def download(page, link) -> str:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_visitor_stars_two_sessions_and_downloads_their_agenda(timed_summit, page):
    page.goto(SUMMIT)
    timetable = page.get_by_role("table", name=re.compile("Timetable for Monday 10 February"))
    expect(timetable.get_by_role("columnheader", name="Nef")).to_be_visible()
    expect(timetable).not_to_contain_text("Test draft")

    timetable.get_by_role("button", name="My agenda: Test opening").click()
    timetable.get_by_role("button", name="My agenda: Test panel two").click()
    expect(timetable.get_by_role("button", name="My agenda: Test opening")).to_have_attribute(
        "aria-pressed", "true"
    )

    # Kept in the browser: still there after a reload.
    page.reload()
    toggle = page.get_by_role("button", name="My agenda (2)")
    toggle.click()
    agenda = page.get_by_role("region", name="My agenda")
    expect(agenda).to_be_visible()
    expect(agenda.locator(".session-title")).to_have_text(["Test opening", "Test panel two"])
    expect(agenda).to_contain_text("09:00–10:00")

    ics = download(page, agenda.get_by_role("link", name="Download my agenda (.ics)"))
    calendar = icalendar.Calendar.from_ical(ics)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Test opening", "Test panel two"}
    start = events["Test panel two"].decoded("DTSTART")
    assert (start.isoformat(), str(start.tzinfo)) == ("2025-02-10T10:00:00+01:00", "Europe/Paris")
    assert str(events["Test panel two"]["LOCATION"]).startswith("Salon d'honneur")

    # An untimed side session can be starred too; it is listed but not in the calendar.
    side = page.locator("#session-governing-in-the-age-of-ai")
    side.get_by_role("button", name="My agenda: Governing in the Age of AI").click()
    expect(agenda.locator(".session-title")).to_have_count(3)
    expect(agenda).to_contain_text("1 session has no time yet and is not in it.")
    link = agenda.get_by_role("link", name="Download my agenda (.ics)")
    assert link.get_attribute("href").count(",") == 1

    agenda.get_by_role("button", name="Remove: Test opening").click()
    expect(page.get_by_role("button", name="My agenda (2)")).to_be_focused()
    assert not [c for c in page.context.cookies() if "agenda" in c["name"]]  # no cookie


def test_filters_and_list_view_work_without_javascript(timed_summit, browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(SUMMIT)
    expect(page.get_by_role("button", name=re.compile("My agenda"))).to_have_count(0)
    page.get_by_label("Room").select_option(label="Nef (2)")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"room=Nef"))
    expect(page.locator(".programme-count")).to_contain_text("Showing 2 of 6 sessions")
    page.get_by_role("link", name="List").click()
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.locator(".programme-list")).to_contain_text("Test panel one")
    page.get_by_role("link", name="Clear filters").first.click()
    expect(page.locator(".programme-count")).to_have_text("6 sessions")
    context.close()


@pytest.fixture
def running_event(demo):
    """An event of the test's own under way now, for "now and next"."""
    now = timezone.now().astimezone(PARIS).replace(second=0, microsecond=0)
    start = now.replace(minute=0) - timedelta(hours=1)
    event = make_event(title="Test conference", slug="test-conference", start=start,
                       end=start + timedelta(hours=8), venue="Test hall", city="Paris")  # fmt: skip
    for title, offset, minutes, room in (
        ("Test keynote", 0, 60, "Main hall"),
        ("Test morning panel", 60, 120, "Main hall"),
        ("Test lab", 60, 90, "Room 2"),
        ("Test lunch talk", 180, 60, "Room 2"),
        ("Test closing", 240, 60, "Main hall"),
    ):
        begins = start + timedelta(minutes=offset)
        make_session(event=event, title=title, slug=slugify(title), start=begins,
                     end=begins + timedelta(minutes=minutes), room=room,
                     kind=Session.Kind.TALK)  # fmt: skip
    make_session(event=event, title="Test session to be timed", start=None, end=None)
    return event


def test_event_page_at_desktop_and_phone_widths(
    timed_summit, running_event, page, phone_page, screenshot_dir
):
    for name, view in (("desktop", page), ("phone", phone_page)):
        view.goto(SUMMIT)
        view.screenshot(path=str(screenshot_dir / f"summit-{name}.png"), full_page=True)
        assert horizontal_overflow(view) <= 0, f"the summit's page scrolls sideways ({name})"
        view.goto(running_event.get_absolute_url())
        now_next = view.get_by_role("region", name="Now and next")
        expect(now_next).to_contain_text("Test morning panel")
        expect(now_next).to_contain_text("Test lunch talk")
        view.screenshot(path=str(screenshot_dir / f"running-{name}.png"), full_page=True)
        assert horizontal_overflow(view) <= 0, f"a running event's page scrolls sideways ({name})"
    # On a phone the list stands in for the grid; on a desktop the grid is shown.
    expect(phone_page.locator(".timetable-day").first).to_be_hidden()
    expect(phone_page.locator("#session-test-lab")).to_be_visible()
    expect(page.locator(".timetable-day").first).to_be_visible()
    # A link to a session shows it, even beside the grid.
    page.goto(running_event.get_absolute_url() + "#session-test-lab")
    expect(page.locator("#session-test-lab")).to_be_visible()


def test_timetable_agenda_and_now_and_next_pass_axe_light_and_dark(
    timed_summit, running_event, browser, live_server
):
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.conftest import DESKTOP, PHONE
    from tests.e2e.test_accessibility import BLOCKING, STRUCTURE

    axe = Axe()
    problems = []
    for scheme in ("light", "dark"):
        for viewport in (DESKTOP, PHONE):
            context = browser.new_context(
                base_url=live_server.url, viewport=viewport, color_scheme=scheme
            )
            page = context.new_page()
            for path in (running_event.get_absolute_url(), SUMMIT + "?view=list&room=Nef"):
                page.goto(path)
                page.locator(".star:visible").first.click()
                page.get_by_role("button", name="My agenda (1)").click()
                for violation in axe.run(page).response["violations"]:
                    if violation["impact"] in BLOCKING or violation["id"] in STRUCTURE:
                        targets = [", ".join(n["target"]) for n in violation["nodes"][:5]]
                        problems.append(f"{scheme} {viewport['width']} {path}: "
                                        f"{violation['id']} {targets}")  # fmt: skip
            context.close()
    assert not problems, "\n".join(problems)
