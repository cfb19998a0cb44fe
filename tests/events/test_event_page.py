"""The event page during the event: the timetable grid, now and next, filters, links to each
session, and what an untimed session says."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from core.publishing import Status
from events.models import Session
from tests.factories import (
    add_participant,
    make_event,
    make_organisation,
    make_person,
    make_session,
    make_track,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
URL = "/events/summit/"
#: Published long before the frozen clocks below, so that they see it.
EARLY = {"publish_at": datetime(2024, 1, 1, tzinfo=PARIS)}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 2, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def summit():
    return make_event(slug="summit", start=at(10, 9), end=at(11, 18), **EARLY)


def timed(event, title, start, end, **kwargs):
    kwargs = {**EARLY, **kwargs}
    return make_session(event=event, title=title, slug=title.lower().replace(" ", "-"),
                        start=start, end=end, **kwargs)  # fmt: skip


@pytest.fixture
def clock(monkeypatch):
    """Django's clock frozen at a moment the test sets (``clock.now = ...``)."""

    class Clock:
        now = at(10, 8)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def page(url: str = URL) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def grid(html: str, day: str = "2025-02-10") -> str:
    start = html.index(f'<h3 id="tt-{day}">')
    return html[start : html.index("</table>", start)]


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


# --- The timetable grid ----------------------------------------------------------------------


def test_timetable_is_a_table_of_rooms_across_and_times_down(summit):
    opening = timed(summit, "Opening plenary", at(10, 9), at(10, 10), room="Nef")
    timed(summit, "Data panel", at(10, 10), at(10, 11), room="Nef")
    timed(summit, "Side room talk", at(10, 9, 30), at(10, 10), room="Salon")
    timed(summit, "Roomless chat", at(10, 9), at(10, 9, 30))

    table = grid(page())
    rooms = re.findall(r'<th scope="col" id="(tt-2025-02-10-room-\d)">([^<]+)</th>', table)
    assert [name for _, name in rooms] == ["Nef", "Salon", "Room to be announced"]
    times = re.findall(r'<th scope="row" id="[^"]+"><time datetime="[^"]+">([\d:]+)</time>', table)
    assert times == ["09:00", "09:30", "10:00"]  # a row for each start and end
    # The opening plenary spans 09:00-10:00: two rows, under its room's and its time's headers.
    cell = re.search(r'<td class="tt-cell"[^>]*>.*?Opening plenary.*?</td>', table).group()
    assert 'rowspan="2"' in cell
    assert 'headers="tt-2025-02-10-room-1 tt-2025-02-10-at-1"' in cell
    assert f'<a href="{opening.get_absolute_url()}">' in cell
    assert "09:00–10:00" in cell
    assert (
        'headers="tt-2025-02-10-room-2 tt-2025-02-10-at-2"'
        in grid(page()).split("Side room talk")[0].rsplit("<td", 1)[1]
    )
    # Every row has one cell per room: 3 rows x 3 rooms, less the one the opening covers.
    assert table.count("<td") == 3 * 3 - 1


def test_overlapping_sessions_in_one_room_get_columns_side_by_side(summit):
    timed(summit, "First workshop", at(10, 9), at(10, 11), room="Nef")
    timed(summit, "Second workshop", at(10, 10), at(10, 12), room="Nef")
    table = grid(page())
    assert '<th scope="col" id="tt-2025-02-10-room-1" colspan="2">Nef</th>' in table
    assert table.count('class="tt-session') == 2


def test_one_grid_per_day_and_drafts_never_in_it(summit):
    timed(summit, "Monday session", at(10, 10), at(10, 11), room="Nef")
    timed(summit, "Tuesday session", at(11, 10), at(11, 11), room="Nef")
    timed(summit, "Secret session", at(10, 10), at(10, 11), room="Salon", status=Status.DRAFT)
    html = page()
    assert "Monday session" in grid(html, "2025-02-10")
    assert "Tuesday session" in grid(html, "2025-02-11")
    assert "Secret session" not in html and "Salon" not in html


def test_list_view_has_no_grid_and_keeps_the_filters(summit):
    timed(summit, "Monday session", at(10, 10), at(10, 11), room="Nef")
    html = page(URL + "?view=list&room=Nef")
    assert '<table class="timetable">' not in html
    assert "Monday session" in html
    assert 'href="?room=Nef#programme"' in html  # back to the timetable, same filter
    assert '<a href="?room=Nef&amp;view=list#programme" aria-current="page">List</a>' in html
    assert '<input type="hidden" name="view" value="list">' in html


# --- Now and next ----------------------------------------------------------------------------


@pytest.fixture
def day_one(summit):
    timed(summit, "Opening plenary", at(10, 9), at(10, 10), room="Nef")
    timed(summit, "Data panel", at(10, 10), at(10, 11), room="Nef")
    timed(summit, "Parallel talk", at(10, 10), at(10, 10, 45), room="Salon")
    timed(summit, "Draft briefing", at(10, 9, 30), at(10, 10, 30), status=Status.DRAFT)
    timed(summit, "Closing", at(11, 17), at(11, 18), room="Nef")
    return summit


def test_no_now_and_next_before_the_event(day_one, clock):
    clock.now = at(10, 8, 59)
    assert "Now and next" not in page()


def test_now_and_next_during_the_event(day_one, clock):
    clock.now = at(10, 9, 40)
    block = section(page(), "now-heading")
    on_now, following = block.split("Next, ")
    assert "Opening plenary" in on_now and "Data panel" not in on_now
    assert following.startswith('at <time datetime="2025-02-10T10:00:00+01:00">10:00</time>')
    assert "Data panel" in following and "Parallel talk" in following
    assert "Draft briefing" not in block

    clock.now = at(10, 10, 50)  # the talk has ended, the panel goes on
    block = section(page(), "now-heading")
    on_now, following = block.split("Next, ")
    assert "Data panel" in on_now and "Parallel talk" not in block
    assert following.startswith("on Tuesday 11 February at")
    assert "Closing" in following


def test_between_sessions_now_and_next_says_nothing_is_on(day_one, clock):
    clock.now = at(10, 12)
    block = section(page(), "now-heading")
    assert "No session is under way." in block and "Closing" in block


def test_no_now_and_next_after_the_event(day_one, clock):
    clock.now = at(11, 18)
    assert "Now and next" not in page()


def test_running_event_page_is_revalidated_by_browsers(day_one, clock):
    clock.now = at(10, 9, 40)
    assert Client().get(URL)["Cache-Control"] == "public, max-age=0"
    clock.now = at(11, 19)
    assert "max-age=60" in Client().get(URL)["Cache-Control"]


@pytest.mark.page_cache
def test_cached_event_page_moves_on_when_a_session_starts(day_one, clock, settings):
    settings.PAGE_CACHE_SECONDS = 4 * 60 * 60
    clock.now = at(10, 9, 40)
    first = Client().get(URL)
    assert first["X-Page-Cache"] == "MISS"
    clock.now = at(10, 9, 59)
    again = Client().get(URL, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304  # nothing has started or ended meanwhile
    clock.now = at(10, 10) + timedelta(seconds=30)
    moved = Client().get(URL, headers={"If-None-Match": first["ETag"]})
    assert moved.status_code == 200 and moved["X-Page-Cache"] == "MISS"
    on_now = section(moved.content.decode(), "now-heading").split("Next, ")[0]
    assert "Data panel" in on_now and "Opening plenary" not in on_now


# --- Filters ---------------------------------------------------------------------------------


@pytest.fixture
def two_days(summit):
    science = make_track(event=summit, title="Science track", slug="science")
    timed(summit, "Opening plenary", at(10, 9), at(10, 10), room="Nef", kind=Session.Kind.KEYNOTE)
    timed(summit, "Data panel", at(10, 10), at(10, 11), room="Salon", track=science)
    timed(summit, "Tuesday panel", at(11, 10), at(11, 11), room="Nef", track=science)
    make_session(event=summit, title="Undated workshop", start=None, end=None,
                 kind=Session.Kind.WORKSHOP)  # fmt: skip
    return summit


def titles(html: str) -> set[str]:
    every = {"Opening plenary", "Data panel", "Tuesday panel", "Undated workshop"}
    return {title for title in every if title in html.split('id="programme-heading"')[1]}


def test_filters_narrow_the_programme_and_the_grid(two_days):
    assert titles(page()) == {"Opening plenary", "Data panel", "Tuesday panel", "Undated workshop"}
    assert titles(page(URL + "?day=2025-02-11")) == {"Tuesday panel"}
    assert titles(page(URL + "?track=science")) == {"Data panel", "Tuesday panel"}
    assert titles(page(URL + "?room=Nef&track=science")) == {"Tuesday panel"}
    assert titles(page(URL + "?kind=workshop")) == {"Undated workshop"}
    html = page(URL + "?room=Salon")
    assert "Nef" not in grid(html)


def test_filters_show_counts_what_is_active_and_a_clear_link(two_days):
    html = page(URL + "?track=science")
    assert '<option value="2025-02-10">Monday 10 February (1)</option>' in html
    assert '<option value="science" selected>Science track (2)</option>' in html
    assert '<option value="Nef">Nef (1)</option>' in html
    assert "Showing 2 of 4 sessions: <strong>Track</strong> Science track." in html
    assert '<a href="/events/summit/#programme">Clear filters</a>' in html
    assert "Clear filters" not in page()


def test_an_unknown_filter_value_is_said_and_ignored(two_days):
    html = page(URL + "?room=Attic&day=someday")
    assert "Some filters could not be used and were ignored" in html
    assert titles(html) == {"Opening plenary", "Data panel", "Tuesday panel", "Undated workshop"}


def test_a_filter_that_matches_nothing_says_so(two_days):
    html = page(URL + "?room=Salon&day=2025-02-11")
    assert "No session matches these filters." in html


# --- Links to sessions, untimed sessions, calendars ------------------------------------------


def test_each_session_has_an_anchor_and_a_visible_link_to_it(two_days):
    html = page(URL + "?view=list")
    assert '<li class="session" id="session-data-panel"' in html
    assert (
        '<a class="session-anchor" href="#session-data-panel">Link to this session'
        '<span class="visually-hidden">: Data panel</span></a>'
    ) in html
    assert 'href="/events/summit/sessions/data-panel/">Data panel</a>' in html


def test_untimed_session_says_so_and_offers_no_calendar(summit):
    session = make_session(event=summit, title="Undated workshop", start=None, end=None)
    entry = page().split('id="session-' + session.slug)[1].split("</li>")[0]
    assert "Time to be announced" in entry
    detail = page(session.get_absolute_url())
    assert "Time to be announced" in detail
    assert "calendar.ics" not in detail

    timed_one = make_session(event=summit, title="Timed workshop")
    assert f"{timed_one.get_absolute_url()}calendar.ics" in page(timed_one.get_absolute_url())


def test_speaker_calendar_is_offered_only_with_a_timed_public_session(summit):
    person = make_person(slug="ada")
    add_participant(make_session(event=summit, start=None, end=None), person)
    add_participant(make_session(event=summit, status=Status.DRAFT), person)
    assert "/speakers/ada/calendar.ics" not in page("/speakers/ada/")
    add_participant(make_session(event=summit), person)
    assert "/speakers/ada/calendar.ics" in page("/speakers/ada/")


def test_the_page_offers_the_agenda_script_and_its_calendar_address(summit):
    make_session(event=summit)
    html = page()
    assert re.search(r'<script src="/static/js/agenda\.js" defer></script>', html)
    assert 'data-agenda="summit"' in html
    # The script gives the link its address and the chosen ids; crawlers meet no bare link.
    assert 'data-calendar="/events/summit/agenda.ics"' in html
    assert 'href="/events/summit/agenda.ics' not in html
    assert "<script>" not in html.split("</head>")[1]  # no inline script


def test_the_agenda_knows_the_public_sessions_only(summit):
    shown = make_session(event=summit, title="Public one")
    hidden = make_session(event=summit, title="Draft one", status=Status.DRAFT)
    html = page(URL + "?kind=keynote")  # filtered or not, the agenda may keep any public one
    assert f'data-sessions="{shown.pk}"' in html
    assert f'data-session="{hidden.pk}"' not in html


def test_event_without_sessions_has_no_programme_tools(summit):
    html = page()
    assert "agenda.js" not in html and 'id="programme"' not in html


# --- Cost ------------------------------------------------------------------------------------


def add_sessions(event, count: int) -> None:
    track = make_track(event=event, organiser=make_organisation(**EARLY))
    for n in range(count):
        start = event.start + timedelta(minutes=30 * (n % 16))
        session = make_session(event=event, track=None if n % 2 else track, start=start,
                               end=start + timedelta(minutes=45), room=f"Room {n % 3}",
                               **EARLY)  # fmt: skip
        session.hosts.add(make_organisation(**EARLY))
        add_participant(session, make_person(**EARLY))


@pytest.mark.parametrize("count", [1, 30])
def test_running_filtered_event_page_queries_do_not_grow(
    summit, clock, django_assert_num_queries, count
):
    add_sessions(summit, count)
    clock.now = summit.start + timedelta(minutes=20)
    client = Client()
    client.get(URL)
    with django_assert_num_queries(13):
        html = client.get(URL + "?room=Room+0").content.decode()
    assert "Now and next" in html


def test_the_page_with_grid_filters_and_now_and_next_is_strict_html(day_one, clock):
    from tests.test_html import parse

    clock.now = at(10, 9, 40)
    for query in ("", "?room=Nef&kind=panel", "?view=list", "?room=Attic"):
        parse(page(URL + query))


def test_beside_the_grid_untimed_sessions_stay_in_view(two_days):
    html = page()
    beside = html.split('<div class="programme-list programme-list--beside-grid">')[1]
    hidden_on_desktop, rest = beside.split("</div>", 1)
    assert "Opening plenary" in hidden_on_desktop  # in the grid above, and the list for phones
    assert "Undated workshop" not in hidden_on_desktop and "Undated workshop" in rest
