"""A synthetic archive at the size of a real one, for the benchmark (``manage.py generate_data``).

Every generated row that has a slug gets one starting with :data:`PREFIX` (``gen--``), and
every generated row without a slug (authors, participants, signatories, tracks' sessions, the
rows of many-to-many tables) hangs off a generated parent and goes with it. ``gen--`` cannot
come out of a title: Django's ``slugify`` (and the admin's slug prepopulation) folds runs of
hyphens into one, so no slug made from a title has two hyphens in a row. :func:`clear` deletes
the rows with that prefix and nothing else.

The text is obviously synthetic: titles say "Generated article 123: …", people are
"Person 123 Kalvo" with a role "Generated person", organisations "Generated organisation 45";
abstracts and bodies are sentences drawn from a word list of policy vocabulary, with common
and rare words (a Zipf-like draw), so that searches have something to find and to miss.

The rows are built in memory and written with ``bulk_create`` in batches, which skips
``save()``: what ``save()`` would fill in is set here (slugs, a person's ``sort_name``,
``publish_at`` of published items); rich text still goes through its field's ``pre_save``
(sanitised), and ``auto_now`` dates are set by their fields.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from django.db import connection, models, transaction
from django.db.models.signals import post_delete, pre_delete

from core import pagecache
from core.workflow import Status
from events.models import (
    Event,
    Organisation,
    Person,
    Session,
    SessionParticipant,
    Topic,
    Track,
)
from initiatives.models import Initiative, Signatory
from publications.models import Article, ArticleAuthor, Collection, Journal, NewsPost

#: The slug prefix of every generated row (see the module docstring for why two hyphens).
PREFIX = "gen--"

#: The archive the issue describes: a journal, a conference series and a tracker, grown up.
DEFAULTS = {
    "articles": 100_000,
    "events": 5_000,
    "people": 16_000,
    "initiatives": 5_000,
    "news": 20_000,
    "organisations": 5_000,
}
TOPICS = 60
BATCH = 2_000
#: Every ``BIG_EVENT_EVERY``-th event (the first included) has exactly ``BIG_EVENT_SESSIONS``
#: sessions, so the benchmark always finds "an event with 100 sessions"; the others 4 to 32
#: (about 18 on average: 5,000 events make some 92,000 sessions).
BIG_EVENT_EVERY = 100
BIG_EVENT_SESSIONS = 100

M = TypeVar("M", bound=models.Model)

_WORDS = (
    "data governance policy algorithm accountability transparency privacy regulation "
    "evaluation public sector health education climate mobility procurement audit "
    "fairness bias inclusion open standards interoperability infrastructure compute "
    "energy safety security risk assessment oversight liability consent trust citizens "
    "participation deliberation democracy elections misinformation platforms competition "
    "markets labour skills employment innovation research funding investment startups "
    "cities mobility housing welfare benefits taxation statistics census registry "
    "identity cybersecurity resilience procurement sovereignty cloud semiconductors "
    "agriculture water biodiversity oceans forests emissions adaptation finance banking "
    "insurance credit payments justice courts policing borders migration humanitarian "
    "development aid trade sanctions diplomacy multilateral treaties cooperation "
    "language translation accessibility disability ageing children youth gender equality "
    "copyright licensing archives libraries museums heritage journalism media broadcasting "
    "telecommunications spectrum satellites mapping geospatial sensors monitoring forecasting "
    "simulation modelling experimentation sandboxes pilots scaling metrics indicators "
    "benchmarks datasets repositories provenance quality stewardship trusts commons "
    "synthetic anonymisation encryption federated learning foundation models chatbots "
    "automation robotics vehicles drones logistics supply chains manufacturing"
)
WORDS = tuple(_WORDS.split())
# A handful of words that occur in only a few rows each, for the rare-term searches.
_RARE = (
    "zephyrine quillwort marrowfat obsidianite thistledown"
    " fenwickian gossamerly halcyonic nimbostrata pellucidity"
)
RARE_WORDS = tuple(_RARE.split())
_SYLLABLES = "ka lo mi ra ve tu so ni da re sa po li ne mo ta vi ru ko fe"
SYLLABLES = tuple(_SYLLABLES.split())
_COUNTRIES = (
    "FR DE GB IT ES NL BE SE DK FI NO PL PT IE AT CH CZ GR HU RO US CA MX BR AR CL CO JP KR "
    "IN ID SG AU NZ ZA NG KE EG MA TN SN GH ET TR IL AE SA EU"
)
#: Country codes; the last, EU, is a jurisdiction and a signatory but no organisation's seat.
COUNTRIES = tuple(_COUNTRIES.split())
CURRENCIES = ("EUR", "USD", "GBP")
ROLES = [choice for choice, _ in SessionParticipant.Role.choices]


class Progress:
    """A plain progress line on stderr: redrawn in place on a terminal, every 10% otherwise."""

    def __init__(self, label: str, total: int, *, stream=None, quiet: bool = False) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self._next_tenth = 1

    def advance(self, count: int) -> None:
        self.done += count
        if self.quiet:
            return
        share = self.done / self.total
        if self.tty:
            bar = "#" * int(share * 30)
            self.stream.write(
                f"\r  {self.label:<24} [{bar:<30}] {self.done:>9,}/{self.total:,} {share:4.0%}"
            )
            self.stream.flush()
        elif self.total >= 10 * BATCH and share * 10 >= self._next_tenth and share < 1:
            self._next_tenth = int(share * 10) + 1
            self.stream.write(f"  {self.label}: {self.done:,}/{self.total:,} ({share:.0%})\n")

    def finish(self) -> float:
        elapsed = time.monotonic() - self.started
        if not self.quiet:
            start = "\n" if self.tty else ""
            self.stream.write(f"{start}  {self.label}: {self.done:,} rows in {elapsed:.1f} s\n")
        return elapsed


@dataclass
class Generator:
    """Builds the archive; ``counts`` as in :data:`DEFAULTS`, ``seed`` makes it repeatable."""

    counts: dict[str, int]
    seed: int = 1
    quiet: bool = False
    stream: object = None
    rng: random.Random = field(init=False)
    timings: dict[str, float] = field(default_factory=dict)
    now: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 (synthetic data, not secrets)
        # Publication times relative to now, so "scheduled" is in the future whenever it runs.
        self.now = datetime.now(UTC).replace(microsecond=0)
        # Zipf-like weights: the first words of the list are common, the last ones rare.
        self._weights = [1 / (rank + 1) ** 0.8 for rank in range(len(WORDS))]

    # -- text ---------------------------------------------------------------------------

    def words(self, count: int) -> list[str]:
        return self.rng.choices(WORDS, weights=self._weights, k=count)

    def phrase(self, count: int = 4) -> str:
        return " ".join(self.words(count))

    def sentences(self, count: int, *, rare_every: int = 0, n: int = 0) -> str:
        out = []
        for _ in range(count):
            words = self.words(self.rng.randint(8, 16))
            out.append(" ".join(words).capitalize() + ".")
        if rare_every and n % rare_every == 0:
            out.append(f"It mentions {RARE_WORDS[(n // rare_every) % len(RARE_WORDS)]}.")
        return " ".join(out)

    def name_part(self) -> str:
        return "".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 3))).capitalize()

    # -- workflow states ----------------------------------------------------------------

    def state(self, when: datetime, n: int = 0) -> dict:
        """The editorial state of one generated item, as the workflow defines its states.

        Most items are published (``publish_at`` at ``when``); a share are drafts, in review,
        archived, or published with a ``publish_at`` still to come (scheduled). Bulk inserts set
        the state directly: the workflow moves one item at a time (with a revision and a log
        entry each), which at this size would take hours, and no editor owns these rows. This
        generator is the only place that sets a state without the workflow.

        Item number 1 of each type is always published, so the benchmark finds the same
        addresses (``gen--article-1``, ``gen--event-1`` with 100 sessions…) at any size.
        """
        roll = self.rng.random()
        if n == 1:
            return {"status": Status.PUBLISHED, "publish_at": min(when, self.now)}
        if roll < 0.80:
            return {"status": Status.PUBLISHED, "publish_at": when}
        if roll < 0.86:
            return {"status": Status.DRAFT, "publish_at": None}
        if roll < 0.89:
            return {"status": Status.REVIEW, "publish_at": None}
        if roll < 0.95:
            return {"status": Status.ARCHIVED, "publish_at": when}
        # Scheduled: published, going live within the next 90 days.
        ahead = timedelta(days=self.rng.randint(1, 90), hours=self.rng.randint(0, 23))
        return {"status": Status.PUBLISHED, "publish_at": self.now + ahead}

    def past(self, years: float = 10) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(1, 365 * years))

    # -- writing ------------------------------------------------------------------------

    def bulk(self, model: type[M], rows: Iterable[M], total: int, label: str = "") -> list[M]:
        """Insert ``rows`` in batches with a progress line; returns them with their ids."""
        progress = Progress(
            label or model._meta.verbose_name_plural, total, stream=self.stream, quiet=self.quiet
        )
        created: list[M] = []
        for batch in _batches(rows, BATCH):
            created += model._default_manager.bulk_create(batch, batch_size=BATCH)
            progress.advance(len(batch))
        self.timings[label or model._meta.model_name] = progress.finish()
        return created

    def link(self, relation, pairs: Iterable[tuple[int, int]], total: int, label: str) -> None:
        """Fill a many-to-many table (``Model.field``) from ``(from_id, to_id)`` pairs."""
        through = relation.through
        source = relation.field.m2m_field_name() + "_id"
        target = relation.field.m2m_reverse_field_name() + "_id"
        self.bulk(
            through,
            (through(**{source: a, target: b}) for a, b in pairs),
            total,
            label,
        )

    # -- the archive --------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        c = self.counts
        with transaction.atomic():
            topics = self.topics()
            orgs = self.organisations(c["organisations"], topics)
            people = self.people(c["people"], orgs)
            events = self.events(c["events"], orgs, topics)
            sessions = self.sessions(events, people, topics)
            initiatives = self.initiatives(c["initiatives"], orgs, events, people, topics)
            self.articles(c["articles"], people, orgs, topics, initiatives, events)
            self.news(c["news"], people, topics, events, initiatives)
            # Bulk inserts send no signals: tell the page cache once that content changed.
            pagecache.content_changed()
        # Fresh statistics for the planner: after a bulk load PostgreSQL's are empty until
        # autovacuum gets round to it, and with none it picks nested loops that take seconds
        # (the authors of 100 articles: 2.5 s before, 10 ms after, on the 1k archive).
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.timings["analyze"] = time.monotonic() - started
        return {
            "topics": len(topics),
            "organisations": len(orgs),
            "people": len(people),
            "events": len(events),
            "sessions": len(sessions),
            "initiatives": len(initiatives),
            "articles": c["articles"],
            "news": c["news"],
        }

    def topics(self) -> list[Topic]:
        rows = [
            Topic(
                name=f"Generated topic {n}: {WORDS[n % len(WORDS)]}",
                slug=f"{PREFIX}topic-{n}",
                description=f"Generated topic for benchmarking: {self.phrase(6)}.",
                **self.state_published(),
            )
            for n in range(1, TOPICS + 1)
        ]
        return self.bulk(Topic, rows, len(rows))

    def state_published(self) -> dict:
        """Topics are all public: pages tag content with them."""
        return {"status": Status.PUBLISHED, "publish_at": self.now - timedelta(days=3650)}

    def organisations(self, count: int, topics: list[Topic]) -> list[Organisation]:
        kinds = [k for k, _ in Organisation.Kind.choices]

        def rows():
            for n in range(1, count + 1):
                yield Organisation(
                    name=f"Generated organisation {n} ({self.name_part()} {self.phrase(2)})",
                    acronym=f"GO{n}",
                    slug=f"{PREFIX}organisation-{n}",
                    kind=kinds[n % len(kinds)],
                    country=self.rng.choice(COUNTRIES[:-1]),
                    description=f"<p>Generated organisation. {self.sentences(2)}</p>",
                    **self.state(self.past(), n),
                )

        orgs = self.bulk(Organisation, rows(), count)
        self.link(
            Organisation.topics,
            ((o.pk, self.rng.choice(topics).pk) for o in orgs),
            len(orgs),
            "organisation topics",
        )
        return orgs

    def people(self, count: int, orgs: list[Organisation]) -> list[Person]:
        def rows():
            for n in range(1, count + 1):
                family = self.name_part()
                yield Person(
                    name=f"Person {n} {family}",
                    sort_name=f"{family}, Person {n}",
                    slug=f"{PREFIX}person-{n}",
                    role=f"Generated person ({self.phrase(2)})",
                    affiliation_id=self.rng.choice(orgs).pk if orgs else None,
                    bio=f"<p>A generated person, not a real one. {self.sentences(1)}</p>",
                    **self.state(self.past(), n),
                )

        return self.bulk(Person, rows(), count)

    def events(self, count: int, orgs: list[Organisation], topics: list[Topic]) -> list[Event]:
        kinds = [k for k, _ in Event.Kind.choices]
        self._event_sizes: dict[int, int] = {}

        def rows():
            for n in range(1, count + 1):
                # From ten years back to a year ahead, so there are upcoming and past events.
                start = self.now + timedelta(days=self.rng.uniform(-3650, 365))
                start = start.replace(hour=9, minute=0, second=0, microsecond=0)
                state = self.state(min(start, self.now) - timedelta(days=30), n)
                yield Event(
                    title=f"Generated event {n}: {self.phrase(3)}",
                    slug=f"{PREFIX}event-{n}",
                    kind=kinds[n % len(kinds)],
                    summary=f"Generated event. {self.sentences(1)}",
                    description=f"<p>{self.sentences(3)}</p>",
                    start=start,
                    end=start + timedelta(days=self.rng.randint(0, 2), hours=8),
                    timezone="Europe/London",
                    venue=f"Generated venue {n % 97}",
                    city=f"City {n % 53}",
                    country=self.rng.choice(COUNTRIES[:-1]),
                    **state,
                )

        events = self.bulk(Event, rows(), count)
        for index, event in enumerate(events):
            self._event_sizes[event.pk] = (
                BIG_EVENT_SESSIONS if index % BIG_EVENT_EVERY == 0 else self.rng.randint(4, 32)
            )
        self.link(
            Event.organisers,
            ((e.pk, self.rng.choice(orgs).pk) for e in events if orgs),
            len(events) if orgs else 0,
            "event organisers",
        )
        self.link(
            Event.topics,
            ((e.pk, self.rng.choice(topics).pk) for e in events),
            len(events),
            "event topics",
        )
        return events

    def sessions(
        self, events: list[Event], people: list[Person], topics: list[Topic]
    ) -> list[Session]:
        kinds = [k for k, _ in Session.Kind.choices]
        # Tracks: events with 20 sessions or more have two to four.
        tracks = [
            Track(
                event_id=event.pk,
                title=f"Generated track {t} of event {index + 1}",
                slug=f"{PREFIX}track-{t}",
                order=t,
            )
            for index, event in enumerate(events)
            if self._event_sizes[event.pk] >= 20
            for t in range(1, 2 + (self._event_sizes[event.pk] // 30) + 1)
        ]
        tracks = self.bulk(Track, tracks, len(tracks))
        tracks_of: dict[int, list[int]] = {}
        for track in tracks:
            tracks_of.setdefault(track.event_id, []).append(track.pk)
        total = sum(self._event_sizes.values())

        def rows():
            for event in events:
                size = self._event_sizes[event.pk]
                days = max((event.end - event.start).days + 1, 1)
                per_day = -(-size // days)
                rooms = max(1, per_day // 6)
                for s in range(size):
                    day, slot = divmod(s, per_day)
                    start = event.start + timedelta(days=day, minutes=45 * (slot // rooms))
                    start = min(start, event.end)
                    track_ids = tracks_of.get(event.pk)
                    yield Session(
                        event_id=event.pk,
                        title=f"Generated session {s + 1}: {self.phrase(4)}",
                        slug=f"{PREFIX}session-{s + 1}",
                        kind=kinds[s % len(kinds)],
                        track_id=track_ids[s % len(track_ids)] if track_ids else None,
                        start=start,
                        end=min(start + timedelta(minutes=40), event.end),
                        room=f"Room {chr(65 + s % rooms)}",
                        summary=f"Generated session. {self.sentences(1)}",
                        # A session follows its event's state; in events of ordinary size
                        # some are drafts of their own.
                        status=(
                            event.status
                            if size == BIG_EVENT_SESSIONS or self.rng.random() < 0.95
                            else Status.DRAFT
                        ),
                        publish_at=event.publish_at,
                    )

        sessions = self.bulk(Session, rows(), total)

        def participants():
            for session in sessions:
                for order, person in enumerate(self.rng.sample(people, self.rng.randint(1, 5))):
                    yield SessionParticipant(
                        session_id=session.pk,
                        person_id=person.pk,
                        role=ROLES[(order + session.pk) % len(ROLES)],
                        order=order,
                    )

        if people:
            self.bulk(SessionParticipant, participants(), len(sessions) * 3, "session participants")
        self.link(
            Session.topics,
            ((s.pk, self.rng.choice(topics).pk) for s in sessions[::3]),
            len(sessions[::3]),
            "session topics",
        )
        return sessions

    def initiatives(self, count, orgs, events, people, topics) -> list[Initiative]:
        kinds = [k for k, _ in Initiative.Kind.choices]
        qualifiers = [q for q, _ in Initiative.AmountQualifier.choices]

        def rows():
            for n in range(1, count + 1):
                announced = self.past(8)
                with_amount = self.rng.random() < 0.4
                kind = kinds[n % len(kinds)]
                yield Initiative(
                    title=f"Generated initiative {n}: {self.phrase(4)}",
                    slug=f"{PREFIX}initiative-{n}",
                    kind=kind,
                    summary=f"Generated initiative. {self.sentences(1)}",
                    description=f"<p>{self.sentences(3)}</p>",
                    initiative_status=Initiative.InitiativeStatus.ACTIVE,
                    announced_on=announced.date(),
                    announced_at_id=self.rng.choice(events).pk if events else None,
                    jurisdictions=self.rng.sample(COUNTRIES, self.rng.randint(1, 3)),
                    amount=(
                        Decimal(self.rng.randrange(100_000, 5_000_000_000, 1000))
                        if with_amount
                        else None
                    ),
                    currency=self.rng.choice(CURRENCIES) if with_amount else "",
                    amount_qualifier=qualifiers[n % len(qualifiers)],
                    reported_signatory_count=(
                        self.rng.randint(5, 80) if kind == Initiative.Kind.DECLARATION else None
                    ),
                    **self.state(announced, n),
                )

        initiatives = self.bulk(Initiative, rows(), count)
        declarations = [i for i in initiatives if i.kind == Initiative.Kind.DECLARATION]
        stances = [s for s, _ in Signatory.Stance.choices]

        def signatories():
            for initiative in initiatives:
                # Declarations gather many signatories, other kinds a few supporters.
                many = initiative.kind == Initiative.Kind.DECLARATION
                countries = self.rng.sample(COUNTRIES, self.rng.randint(5, 30) if many else 1)
                for order, code in enumerate(countries):
                    yield Signatory(
                        initiative_id=initiative.pk,
                        country=code,
                        stance=stances[0] if order % 7 else stances[(order // 7) % 3],
                        date=initiative.announced_on,
                        order=order,
                    )
                for order, org in enumerate(
                    self.rng.sample(orgs, min(len(orgs), self.rng.randint(2, 10) if many else 1))
                ):
                    yield Signatory(
                        initiative_id=initiative.pk,
                        organisation_id=org.pk,
                        stance=Signatory.Stance.SUPPORTS,
                        date=initiative.announced_on,
                        order=100 + order,
                    )

        expected = len(declarations) * 23 + (len(initiatives) - len(declarations)) * 2
        self.bulk(Signatory, signatories(), expected, "signatories")
        if orgs:
            self.link(
                Initiative.lead_organisations,
                ((i.pk, self.rng.choice(orgs).pk) for i in initiatives),
                len(initiatives),
                "initiative leads",
            )
        self.link(
            Initiative.topics,
            ((i.pk, self.rng.choice(topics).pk) for i in initiatives),
            len(initiatives),
            "initiative topics",
        )
        return initiatives

    def articles(self, count, people, orgs, topics, initiatives, events) -> None:
        journal = Journal.objects.create(
            title="Generated Journal (synthetic data)",
            slug=f"{PREFIX}journal",
            description="<p>A generated journal for benchmarking.</p>",
            status=Status.PUBLISHED,
            publish_at=self.now - timedelta(days=3650),
        )
        collections = self.bulk(
            Collection,
            [
                Collection(
                    journal=journal,
                    title=f"Generated collection {n}: {self.phrase(3)}",
                    slug=f"{PREFIX}collection-{n}",
                    status=Status.PUBLISHED,
                    publish_at=self.now - timedelta(days=3000),
                )
                for n in range(1, 21)
            ],
            20,
        )
        types = [t for t, _ in Article.ArticleType.choices]

        def rows():
            for n in range(1, count + 1):
                when = self.past(10)
                yield Article(
                    journal_id=journal.pk,
                    title=f"Generated article {n}: {self.phrase(5)}",
                    slug=f"{PREFIX}article-{n}",
                    article_type=types[n % len(types)],
                    abstract=f"<p>Generated abstract. {self.sentences(4, rare_every=997, n=n)}</p>",
                    doi=f"10.5555/generated.{n}",
                    volume=str(when.year - 2014),
                    issue=str(1 + n % 4),
                    pages=f"e{n}",
                    published_on=when.date(),
                    **self.state(when, n),
                )

        articles = self.bulk(Article, rows(), count)

        def authors():
            for article in articles:
                for order, person in enumerate(self.rng.sample(people, self.rng.randint(1, 4))):
                    yield ArticleAuthor(
                        article_id=article.pk,
                        person_id=person.pk,
                        affiliation_id=person.affiliation_id,
                        is_corresponding=order == 0,
                        order=order,
                    )

        if people:
            self.bulk(ArticleAuthor, authors(), int(len(articles) * 2.5), "article authors")
        self.link(
            Article.topics,
            ((a.pk, self.rng.choice(topics).pk) for a in articles),
            len(articles),
            "article topics",
        )
        self.link(
            Article.collections,
            ((a.pk, self.rng.choice(collections).pk) for a in articles[::10]),
            len(articles[::10]),
            "article collections",
        )
        if initiatives:
            self.link(
                Article.related_initiatives,
                ((a.pk, self.rng.choice(initiatives).pk) for a in articles[::20]),
                len(articles[::20]),
                "article initiatives",
            )
        if events:
            self.link(
                Article.related_events,
                ((a.pk, self.rng.choice(events).pk) for a in articles[::20]),
                len(articles[::20]),
                "article events",
            )

    def news(self, count, people, topics, events, initiatives) -> None:
        def rows():
            for n in range(1, count + 1):
                when = self.past(6)
                yield NewsPost(
                    title=f"Generated news {n}: {self.phrase(4)}",
                    slug=f"{PREFIX}news-{n}",
                    standfirst=f"Generated news post. {self.sentences(1)}",
                    body=f"<p>{self.sentences(5, rare_every=499, n=n)}</p>",
                    dateline=f"City {n % 53}",
                    **self.state(when, n),
                )

        posts = self.bulk(NewsPost, rows(), count)
        if people:
            self.link(
                NewsPost.authors,
                ((p.pk, self.rng.choice(people).pk) for p in posts),
                len(posts),
                "news authors",
            )
        self.link(
            NewsPost.topics,
            ((p.pk, self.rng.choice(topics).pk) for p in posts),
            len(posts),
            "news topics",
        )
        if events:
            self.link(
                NewsPost.related_events,
                ((p.pk, self.rng.choice(events).pk) for p in posts[::5]),
                len(posts[::5]),
                "news events",
            )
        if initiatives:
            self.link(
                NewsPost.related_initiatives,
                ((p.pk, self.rng.choice(initiatives).pk) for p in posts[::5]),
                len(posts[::5]),
                "news initiatives",
            )


def _batches(rows: Iterable[M], size: int) -> Iterator[list[M]]:
    batch: list[M] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


#: Generated rows by model, parents last; children without a slug go with their parents.
#: Articles before people (an author is protected from deletion), sessions before events.
CLEAR_ORDER: tuple[type[models.Model], ...] = (
    NewsPost,
    Article,
    Collection,
    Journal,
    Initiative,
    Session,
    Track,
    Event,
    Person,
    Organisation,
    Topic,
)


def generated(model: type[M]) -> models.QuerySet[M]:
    """The generated rows of ``model``: those whose slug carries the reserved prefix."""
    return model._default_manager.filter(slug__startswith=PREFIX)


def generated_count() -> int:
    return sum(generated(model).count() for model in CLEAR_ORDER)


@contextmanager
def _without_delete_signals() -> Iterator[None]:
    """Deletions in this block send no ``pre_delete``/``post_delete`` signals.

    Generated rows were inserted without signals, so nothing ever announced them: their
    removal must not answer their addresses with 410 Gone (``core.redirects``) nor tell
    partners they were withdrawn (``core.webhooks``). Without listeners Django also deletes
    the child rows in bulk rather than row by row. A management command's own process only.
    """
    saved = {}
    for signal in (pre_delete, post_delete):
        with signal.lock:
            saved[signal] = signal.receivers
            signal.receivers = []
            signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        for signal, receivers in saved.items():
            with signal.lock:
                signal.receivers = receivers
                signal.sender_receivers_cache.clear()


def clear(*, log: Callable[[str], None] | None = None, batch: int = BATCH) -> dict[str, int]:
    """Delete every generated row (and, through their foreign keys, their child rows).

    Deleted in batches of primary keys through the ORM (cascades as for any deletion, in
    bounded memory), without delete signals (see ``_without_delete_signals``); the page cache
    is told once. Rows without the prefix are never selected.
    """
    removed: dict[str, int] = {}
    with transaction.atomic(), _without_delete_signals():
        for model in CLEAR_ORDER:
            total = 0
            ids = list(generated(model).values_list("pk", flat=True))
            for start in range(0, len(ids), batch):
                _, per_model = model._default_manager.filter(
                    pk__in=ids[start : start + batch]
                ).delete()
                total += per_model.get(model._meta.label, 0)
            removed[model._meta.verbose_name_plural] = total
            if log and total:
                log(f"  {model._meta.verbose_name_plural}: {total:,} removed")
        pagecache.content_changed()
    return removed
