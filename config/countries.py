"""Country pages: everything the site holds about one country (or the EU).

A country has a page when something public names it: a declaration it signed or declined, an
initiative in its jurisdiction, an organisation based there, an event held there, or a person
whose affiliation is based there. ``/countries/`` lists those countries; ``/countries/<code>/``
(lower-case ISO 3166-1 code, ``eu`` for the European Union) gathers what names it. The page sits
at the top of the app chain because it reads every app; it asks each app's published rows only,
so nothing unpublished is named, and the list of countries is kept in the cache under the
content version (``core.pagecache.content_state``), so it changes when content does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django_countries import countries as country_names

from core.pagecache import content_state
from core.pages import render_page
from core.paths import path_for
from core.publishing import shown
from core.sitemaps import register_listed_section
from events.models import Event, Organisation, Person
from initiatives.models import Initiative, Signatory

#: What each list on a country page shows at most (the rest is on the type's own list pages).
LIST_LIMIT = 50
#: The kinds of item that name a country, in the order pages show them (singular, plural).
KINDS = {
    "declarations": ("declaration", "declarations"),
    "initiatives": ("initiative", "initiatives"),
    "organisations": ("organisation", "organisations"),
    "events": ("event", "events"),
    "people": ("person", "people"),
}


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    #: How many public items name it, by kind ("declarations", "initiatives", ...).
    counts: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def slug(self) -> str:
        return self.code.lower()

    def get_absolute_url(self) -> str:
        return path_for("country-detail", code=self.slug)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def count_labels(self) -> list[str]:
        """ "2 declarations", "1 person", … in the order of ``KINDS``."""
        return [
            f"{self.counts[kind]} {names[self.counts[kind] != 1]}"
            for kind, names in KINDS.items()
            if self.counts.get(kind)
        ]


def _tally() -> dict[str, Counter]:
    """{kind: Counter(country code -> public items)}: five grouped queries in all."""
    grouped = {
        "declarations": Signatory.objects.published().exclude(country=""),
        "organisations": Organisation.objects.published().exclude(country=""),
        "events": Event.objects.published().exclude(country=""),
        "people": Person.objects.published().filter(
            affiliation__in=Organisation.objects.published().exclude(country="")
        ),
    }
    column = {"people": "affiliation__country"}
    tally = {
        kind: Counter(
            {
                row["code"]: row["n"]
                for row in queryset.order_by()
                .values(code=F(column.get(kind, "country")))
                .annotate(n=Count("pk"))
            }
        )
        for kind, queryset in grouped.items()
    }
    # Jurisdictions are a multiple-choice field stored as "FR,DE": counted here, not in SQL.
    jurisdictions = Counter()
    for value in (
        Initiative.objects.published().exclude(jurisdictions="").values_list("jurisdictions")
    ):
        jurisdictions.update(code for code in value[0].split(",") if code)
    tally["initiatives"] = jurisdictions
    return tally


def all_countries() -> list[Country]:
    """Every country something public names, by name; cached until content changes."""
    state = content_state()  # None while the shared cache is unreachable: count, keep nothing
    key = f"countries:{state}"
    found = cache.get(key) if state is not None else None
    if found is None:
        tally = _tally()
        codes = set().union(*tally.values())
        found = sorted(
            (
                Country(
                    code=code,
                    name=country_names.name(code) or code,
                    counts={kind: tally[kind][code] for kind in KINDS if tally[kind][code]},
                )
                for code in codes
                if country_names.name(code)
            ),
            key=lambda country: country.name,
        )
        if state is not None:
            cache.set(key, found, None)
    return found


def country_for(code: str) -> Country | None:
    code = code.upper()
    return next((country for country in all_countries() if country.code == code), None)


def matching(query: str, *, limit: int = 10) -> list[Country]:
    """The countries with a page whose name holds ``query`` (or whose code it is), for search."""
    words = query.casefold().split()
    if not words:
        return []
    code = query.strip().upper()
    found = [
        country
        for country in all_countries()
        if country.code == code or all(word in country.name.casefold() for word in words)
    ]
    return found[:limit]


def profile(country: Country) -> dict:
    """What the country page lists: each kind's public items naming the country."""
    code = country.code
    signatories = list(
        Signatory.objects.published()
        .filter(country=code)
        .select_related("initiative", "statement_person")
        .order_by("-initiative__announced_on", "initiative__title")[:LIST_LIMIT]
    )
    for signatory in signatories:
        signatory.statement_person = shown(None, signatory.statement_person)
    affiliations = Organisation.objects.published().filter(country=code)
    return {
        "signed": [s for s in signatories if s.stance != Signatory.Stance.DECLINED],
        "declined": [s for s in signatories if s.stance == Signatory.Stance.DECLINED],
        "initiatives": list(
            Initiative.objects.published()
            .filter(jurisdictions__contains=code)
            .order_by("-announced_on", "title")[:LIST_LIMIT]
        ),
        "organisations": list(affiliations.order_by("name")[:LIST_LIMIT]),
        "events": list(
            Event.objects.published().filter(country=code).order_by("-start")[:LIST_LIMIT]
        ),
        "people": list(
            Person.objects.published()
            .filter(affiliation__in=affiliations)
            .select_related("affiliation")
            .order_by("name")[:LIST_LIMIT]
        ),
    }


def country_list(request: HttpRequest) -> HttpResponse:
    return render_page(request, "site/country_list.html", {"countries": all_countries()})


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.lower():
        return HttpResponsePermanentRedirect(path_for("country-detail", code=code.lower()))
    country = country_for(code)
    if country is None:
        raise Http404("Nothing public names this country.")
    context = {"country": country, **profile(country)}
    return render_page(request, "site/country_detail.html", context)


register_listed_section("countries", all_countries)
