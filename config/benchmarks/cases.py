"""What the benchmark measures: pages, API lists, searches and admin changelists.

The addresses are found in the database (the generated archive's item number 1 of each type
is always published, so the same addresses exist at every size; the demo's items do too).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from config.scaledata import PREFIX
from events.models import Event, Organisation
from publications.models import Article

#: The static file every page is compared with, served by the same server (WhiteNoise).
STATIC_BASELINE = "/static/css/site.css"

#: Fifty searches: common and rare single words, phrases, names, a DOI, and no-match terms.
SEARCH_QUERIES = (
    "data",
    "policy",
    "governance",
    "algorithm",
    "privacy",
    "health",
    "climate",
    "regulation",
    "transparency",
    "accountability",
    "procurement",
    "energy",
    "elections",
    "migration",
    "copyright",
    "satellites",
    "drones",
    "manufacturing",
    "logistics",
    "robotics",
    "zephyrine",
    "quillwort",
    "obsidianite",
    "pellucidity",
    "halcyonic",
    "data governance",
    "public sector",
    "open standards",
    "foundation models",
    "supply chains",
    "risk assessment",
    "federated learning",
    '"data governance"',
    '"public health"',
    "climate adaptation finance",
    "privacy -health",
    "AI",
    "summit",
    "Paris",
    "safety",
    "open source",
    "journal",
    "Person 123",
    "Generated organisation 45",
    "10.5555/generated.77",
    "xylophonic",
    "qwertyuiop",
    "nonexistentterm",
    "blorptastic zanzibarium",
    "the",
)


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    #: A lower throughput target than the pages' default (the event with 100 sessions).
    min_share: float | None = None


def _first(model, slug: str, **filters):
    """The generated item ``slug`` if it is public, else the first public one."""
    found = model.objects.published().filter(slug=slug).first()
    return found or model.objects.published().filter(**filters).order_by("pk").first()


def big_event() -> Event | None:
    """The published event with the most sessions up to 100 (``gen--event-1`` has 100)."""
    found = Event.objects.published().filter(slug=f"{PREFIX}event-1").first()
    if found is not None:
        return found
    from django.db.models import Count

    return (
        Event.objects.published()
        .annotate(n=Count("sessions"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )


def page_cases() -> list[Case]:
    cases = [Case("home", "/")]
    event = big_event()
    if event is not None:
        cases.append(Case("event (100 sessions)", event.get_absolute_url(), min_share=0.03))
    cases += [
        Case("initiative list", "/initiatives/"),
        Case("initiative list, filtered", "/initiatives/?kind=declaration&status=active"),
        Case("journal list", "/journal/"),
    ]
    article = _first(Article, f"{PREFIX}article-1")
    if article is not None:
        cases.append(Case("article", article.get_absolute_url()))
    cases += [Case("news list", "/news/"), Case("speakers", "/speakers/")]
    organisation = _first(Organisation, f"{PREFIX}organisation-1")
    if organisation is not None:
        cases.append(Case("organisation", organisation.get_absolute_url()))
    cases.append(Case("site search", "/search/?q=data+governance"))
    return cases


#: The API lists compared with hand-written views (``inprocess.BASELINES``), 100 items each.
API_LISTS = (
    ("articles", "/api/v1/articles/?page_size=100"),
    ("sessions", "/api/v1/sessions/?page_size=100"),
    ("initiatives", "/api/v1/initiatives/?page_size=100"),
    ("signatories", "/api/v1/signatories/?page_size=100"),
)

ADMIN_CHANGELISTS = (
    ("articles", "/admin/publications/article/"),
    ("sessions", "/admin/events/session/"),
    ("people", "/admin/events/person/"),
)
ADMIN_SEARCH_TERM = "governance"


def site_search_paths(queries) -> list[str]:
    return [f"/search/?q={quote(q)}" for q in queries]


def api_search_paths(queries) -> list[str]:
    return [f"/api/v1/articles/?search={quote(q)}" for q in queries]


def growth_cases() -> list[Case]:
    """Pages and API lists compared between the large and the small database."""
    return page_cases() + [Case(f"API {name}", path) for name, path in API_LISTS]
