"""Demo content for the events app, built from our report on the Paris AI Action Summit 2025.

Also home to the small upsert machinery the other apps' demo modules use: every row is
found by its natural key (a slug, or a slug pair) and written only when a value differs,
so loading the demo twice leaves the database exactly as the first load did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import models

from core import workflow
from core.publishing import Publishable, Status
from core.richtext import RichTextField, clean_rich_text

from .models import Event, Organisation, Person, Session, SessionParticipant, Topic, Track

M = TypeVar("M", bound=models.Model)
Log = Callable[[str], None]

PARIS = ZoneInfo("Europe/Paris")
LONDON = ZoneInfo("Europe/London")

# Every demo item went public with our report; a fixed moment keeps reloads identical.
DEMO_PUBLISH_AT = datetime(2025, 2, 14, 9, 0, tzinfo=PARIS)
PUBLISHED = {"status": Status.PUBLISHED, "publish_at": DEMO_PUBLISH_AT, "unpublish_at": None}


class Catalogue:
    """The demo objects by model and key, with a tally of what each load created or changed.

    Publishable items are created and moved through the workflow (``core.workflow.create`` and
    ``move_to``) by the demo editor, who therefore owns what the demo creates.
    """

    def __init__(self, *, editor) -> None:
        self.editor = editor
        self._objects: dict[tuple[type[models.Model], str], models.Model] = {}
        self.tally: Counter[tuple[str, str]] = Counter()

    def __getitem__(self, key: tuple[type[M], str]) -> M:
        return self._objects[key]  # type: ignore[return-value]

    def all(self, model: type[M]) -> list[M]:
        return [obj for (m, _), obj in self._objects.items() if m is model]  # type: ignore[misc]

    def upsert(
        self,
        model: type[M],
        *,
        key: str | None = None,
        lookup: dict[str, Any],
        values: dict[str, Any] | None = None,
        m2m: dict[str, Iterable[models.Model]] | None = None,
    ) -> M:
        """Create or update one row found by ``lookup``; write only what differs.

        Like ``update_or_create``, but an unchanged row is not saved again, so its
        ``updated_at`` stays put and a second load changes nothing at all.
        """
        values = {name: _stored_form(model, name, value) for name, value in (values or {}).items()}
        workflow_model = issubclass(model, Publishable)
        state = values.pop("status", Status.DRAFT) if workflow_model else None
        publish_at = values.pop("publish_at", None) if workflow_model else None
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            if workflow_model:
                workflow.create(item=obj, by=self.editor, state=state, at=publish_at)
            else:
                obj.full_clean()
                obj.save()
            outcome = "created"
        else:
            if workflow_model and obj.created_by_id is None:
                values["created_by"] = self.editor  # loaded before items had owners
            before = _snapshot(obj, values)
            for name, value in values.items():
                setattr(obj, name, value)
            if _snapshot(obj, values) != before:
                obj.full_clean()
                obj.save()
                outcome = "updated"
            else:
                outcome = "unchanged"
            if workflow_model and workflow.move_to(
                item=obj, state=state, by=self.editor, at=publish_at
            ):
                outcome = "updated"
        for name, related in (m2m or {}).items():
            manager = getattr(obj, name)
            wanted = {item.pk for item in related}
            if set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(wanted)
                if outcome == "unchanged":
                    outcome = "updated"
        self.tally[model._meta.verbose_name_plural, outcome] += 1
        if key is not None:
            self._objects[model, key] = obj
        return obj

    def prune(self, model: type[models.Model], *, keep: Iterable[models.Model], **scope) -> None:
        """Delete rows in ``scope`` (a demo parent's children) that the demo no longer lists."""
        deleted, _ = (
            model._default_manager.filter(**scope).exclude(pk__in=[obj.pk for obj in keep]).delete()
        )
        if deleted:
            self.tally[model._meta.verbose_name_plural, "removed"] += deleted

    def report(self, model: type[models.Model]) -> str:
        name = model._meta.verbose_name_plural
        counts = {o: self.tally[name, o] for o in ("created", "updated", "unchanged", "removed")}
        total = counts["created"] + counts["updated"] + counts["unchanged"]
        detail = ", ".join(f"{n} {o}" for o, n in counts.items() if n)
        return f"  {str(name).capitalize()}: {total} ({detail or 'none'})"


def _stored_form(model: type[models.Model], name: str, value: Any) -> Any:
    """The value as the database will hold it, so comparisons see no false change."""
    if isinstance(model._meta.get_field(name), RichTextField):
        return clean_rich_text(value)
    return value


def _snapshot(obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
    snapshot = {}
    for name in values:
        field = obj._meta.get_field(name)
        value = field.value_from_object(obj)
        # Multiple-country fields hold Country objects: compare their codes.
        if isinstance(value, list | tuple):
            value = [str(getattr(v, "code", v)) for v in value]
        snapshot[name] = value
    return snapshot


# ---------------------------------------------------------------------------------------------
# Topics, organisations and people

TOPICS = [
    ("ai-governance", "AI governance", "How AI is steered: law, regulation, standards, diplomacy."),
    ("ai-safety", "AI safety", "Reducing the risks advanced AI systems pose."),
    ("ai-ethics", "AI ethics", "Fairness, accountability and human rights in AI."),
    ("investment", "Investment", "Public and private money for AI research and infrastructure."),
    ("data-privacy", "Data privacy", "Protecting personal data in the design and use of AI."),
    ("open-source", "Open source", "Openly licensed models, datasets and tools."),
    ("defence", "Defence and security", "AI in defence and national security."),
    ("public-services", "Public services", "AI in government and the public sector."),
    ("international-cooperation", "International cooperation", "Working across borders on AI."),
    ("online-safety", "Online safety", "Keeping people safe on online platforms."),
    ("cyber-security", "Cyber security", "Securing AI systems and the products built on them."),
    ("africa", "Africa", "AI policy and governance in African countries."),
]

K = Organisation.Kind

# slug: (name, acronym, kind, country, parent slug, website, topics)
ORGANISATIONS: dict[str, tuple[str, str, str, str, str, str, list[str]]] = {
    "european-union": (
        "European Union", "EU", K.INTERGOVERNMENTAL, "EU", "",
        "https://european-union.europa.eu/", ["ai-governance"],
    ),
    "european-commission": (
        "European Commission", "", K.INTERGOVERNMENTAL, "EU", "european-union",
        "https://commission.europa.eu/", ["ai-governance", "investment"],
    ),
    "african-union-commission": (
        "African Union Commission", "AUC", K.INTERGOVERNMENTAL, "", "", "https://au.int/",
        ["ai-governance"],
    ),
    "french-government": (
        "French Government", "", K.GOVERNMENT, "FR", "",
        "https://www.gouvernement.fr/", ["ai-governance", "investment"],
    ),
    "uk-government": (
        "UK Government", "", K.GOVERNMENT, "GB", "",
        "https://www.gov.uk/", ["ai-governance", "public-services"],
    ),
    "general-catalyst": (
        "General Catalyst", "", K.INVESTOR, "US", "",
        "https://www.generalcatalyst.com/", ["investment"],
    ),
    "current-ai": (
        "Current AI", "", K.FOUNDATION, "", "", "", ["open-source"],
    ),
    "roost": (
        "Robust Open Online Safety Tools", "ROOST", K.CIVIL_SOCIETY, "", "",
        "", ["online-safety", "open-source"],
    ),
    "mistral-ai": (
        "Mistral AI", "", K.COMPANY, "FR", "", "https://mistral.ai/", ["defence"],
    ),
    "helsing": (
        "Helsing", "", K.COMPANY, "DE", "", "https://helsing.ai/", ["defence"],
    ),
    "tony-blair-institute": (
        "Tony Blair Institute for Global Change", "TBI", K.CIVIL_SOCIETY, "GB", "",
        "https://institute.global/", ["ai-governance", "public-services"],
    ),
    "unesco": (
        "United Nations Educational, Scientific and Cultural Organization", "UNESCO",
        K.INTERGOVERNMENTAL, "", "", "https://www.unesco.org/", ["ai-ethics"],
    ),
    "ifap": (
        "Information for All Programme", "IFAP", K.INTERGOVERNMENTAL, "", "unesco", "",
        ["ai-ethics"],
    ),
    "ifap-wgia": (
        "IFAP Working Group on Information Accessibility", "WGIA", K.INTERGOVERNMENTAL, "",
        "ifap", "", ["ai-governance"],
    ),
    "ifap-working-group-information-ethics": (
        "IFAP Working Group on Information Ethics", "", K.INTERGOVERNMENTAL, "", "ifap", "",
        ["ai-ethics"],
    ),
    "data-for-policy": (
        "Data for Policy CIC", "", K.CIVIL_SOCIETY, "GB", "", "https://dataforpolicy.org/",
        ["ai-governance", "public-services"],
    ),
    "imperial-college-london": (
        "Imperial College London", "", K.ACADEMIC, "GB", "", "https://www.imperial.ac.uk/", [],
    ),
    "google-deepmind": (
        "Google DeepMind", "", K.COMPANY, "GB", "", "https://deepmind.google/", ["ai-safety"],
    ),
    "stanford-hai": (
        "Stanford Institute for Human-Centered Artificial Intelligence", "Stanford HAI",
        K.ACADEMIC, "US", "", "https://hai.stanford.edu/", ["ai-governance"],
    ),
    "unicef": (
        "UNICEF", "", K.INTERGOVERNMENTAL, "", "", "https://www.unicef.org/", ["public-services"],
    ),
    "ceps": (
        "Centre for European Policy Studies", "CEPS", K.CIVIL_SOCIETY, "BE", "",
        "https://www.ceps.eu/", ["ai-governance"],
    ),
    "minderoo-centre": (
        "Minderoo Centre for Technology and Democracy", "", K.ACADEMIC, "GB", "", "",
        ["ai-governance"],
    ),
    "global-center-on-ai-governance": (
        "Global Center on AI Governance", "", K.CIVIL_SOCIETY, "", "", "",
        ["ai-governance", "africa"],
    ),
    "cambridge-university-press": (
        "Cambridge University Press", "CUP", K.PUBLISHER, "GB", "", "https://www.cambridge.org/",
        [],
    ),
    "openeurollm-consortium": (
        "OpenEuroLLM consortium", "", K.OTHER, "", "", "", ["open-source"],
    ),
}  # fmt: skip

# slug: (name, honorific, role, affiliation slug, bio)
PEOPLE: dict[str, tuple[str, str, str, str, str]] = {
    "emmanuel-macron": (
        "Emmanuel Macron", "", "President of the French Republic", "french-government",
        "<p>Co-host of the Paris AI Action Summit 2025, where he announced private investment "
        "in French AI and launched the Current AI foundation.</p>",
    ),
    "ursula-von-der-leyen": (
        "Ursula von der Leyen", "", "President of the European Commission",
        "european-commission", "<p>Co-host of the Paris AI Action Summit 2025.</p>",
    ),
    "keir-starmer": (
        "Keir Starmer", "", "Prime Minister of the United Kingdom", "uk-government",
        "<p>His spokesperson explained why the United Kingdom did not sign the summit's "
        "statement on inclusive and sustainable AI.</p>",
    ),
    "yoshua-bengio": (
        "Yoshua Bengio", "", "AI researcher", "",
        "<p>One of the experts leading the International AI Safety Report 2025.</p>",
    ),
    "alexander-iosad": (
        "Alexander Iosad", "", "Senior Adviser", "tony-blair-institute",
        "<p>Spoke on trustworthy AI governance at Data for Policy 2024.</p>",
    ),
    "stefaan-verhulst": (
        "Stefaan Verhulst", "", "Director", "data-for-policy",
        "<p>Took part in the UNESCO IFAP roundtable on the future of AI governance held "
        "alongside the Paris AI Action Summit 2025.</p>",
    ),
    "jennifer-prendki": ("Jennifer Prendki", "Dr", "", "google-deepmind", ""),
    "a-aldo-faisal": ("A. Aldo Faisal", "", "", "imperial-college-london", ""),
    "russell-wald": ("Russell Wald", "", "", "stanford-hai", ""),
    "friederike-schuur": ("Friederike Schüür", "", "", "unicef", ""),
    "andrea-renda": ("Andrea Renda", "", "", "ceps", ""),
    "gina-neff": ("Gina Neff", "", "", "minderoo-centre", ""),
}  # fmt: skip


def load_topics(cat: Catalogue) -> None:
    for slug, name, description in TOPICS:
        cat.upsert(
            Topic,
            key=slug,
            lookup={"slug": slug},
            values={"name": name, "description": description, **PUBLISHED},
        )


def load_organisations(cat: Catalogue) -> None:
    # Parents first: the dictionary lists every parent before its units.
    for slug, (name, acronym, kind, country, parent, website, topics) in ORGANISATIONS.items():
        cat.upsert(
            Organisation,
            key=slug,
            lookup={"slug": slug},
            values={
                "name": name,
                "acronym": acronym,
                "kind": kind,
                "country": country,
                "parent": cat[Organisation, parent] if parent else None,
                "website": website,
                **PUBLISHED,
            },
            m2m={"topics": [cat[Topic, t] for t in topics]},
        )


def load_people(cat: Catalogue) -> None:
    for slug, (name, honorific, role, affiliation, bio) in PEOPLE.items():
        cat.upsert(
            Person,
            key=slug,
            lookup={"slug": slug},
            values={
                "name": name,
                "honorific": honorific,
                "role": role,
                "affiliation": cat[Organisation, affiliation] if affiliation else None,
                "bio": bio,
                **PUBLISHED,
            },
        )


# ---------------------------------------------------------------------------------------------
# Events, tracks and sessions

SUMMIT = "paris-ai-action-summit-2025"
# Where the summit's and the conference's facts come from.
SUMMIT_WEBSITE = "https://www.elysee.fr/en/sommet-pour-l-action-sur-l-ia"
SUMMIT_PRESENTATION = "https://www.elysee.fr/en/sommet-pour-l-action-sur-l-ia/presentation"
SUMMIT_THEMES = "https://www.elysee.fr/en/ai-action-summit"
SUMMIT_PROGRAMME_REPORT = (
    "https://indianexpress.com/article/technology/artificial-intelligence/"
    "paris-ai-action-summit-2025-what-to-know-9820445"
)
TAOISEACH_REPORT = "https://www.kildarestreet.com/debate/?id=2025-04-29a.320.r"
DFP_2024_REPORT = "https://dataforpolicy.org/data-for-policy-2024"
DFP_2024_CALL = (
    "https://codata.org/deadline-approaching-data-for-policy-2024-decoding-the-future-"
    "trustworthy-governance-with-ai-call-for-special-track-proposals-deadline-28-august-2023/"
)
DFP_2024 = "data-for-policy-2024"
AFRICA_TRACK = "ai-ethics-policy-governance-africa"


def load_events(cat: Catalogue) -> None:
    def org(slug: str) -> Organisation:
        return cat[Organisation, slug]

    def topic(slug: str) -> Topic:
        return cat[Topic, slug]

    def person(slug: str) -> Person:
        return cat[Person, slug]

    summit = cat.upsert(
        Event,
        key=SUMMIT,
        lookup={"slug": SUMMIT},
        values={
            "title": "Paris AI Action Summit 2025",
            "kind": Event.Kind.SUMMIT,
            "summary": (
                "A two-day summit in Paris, co-hosted by France and the European Commission, "
                "where more than 100 countries, companies, researchers and civil society "
                "discussed how AI can serve the public good."
            ),
            "description": (
                "<p>Hosted by Emmanuel Macron, President of the French Republic, and Ursula von "
                "der Leyen, President of the European Commission, the summit took an open, "
                "multi-stakeholder approach to AI that is human-centric, ethical, safe, secure "
                "and trustworthy. It produced the Statement on Inclusive and Sustainable "
                "Artificial Intelligence for People and the Planet and a series of investment, "
                "open-source and safety announcements.</p>"
                "<p>France held the summit with India as co-chair. Its sessions were held at the "
                "Grand Palais: a forum open to governments, companies, civil society, researchers "
                "and artists on Monday 10 February, then the meeting of heads of state and "
                "government on Tuesday 11 February. On the Monday evening leaders dined at the "
                "Élysée; the closing session at the Grand Palais on the Tuesday morning, streamed "
                "live, heard Emmanuel Macron, Narendra Modi, JD Vance and Ursula von der Leyen. "
                "Its work was organised in five themes: "
                "public-interest AI, the future of work, innovation and culture, trust in AI, "
                "and global AI governance.</p>"
                "<p>Sources: "
                f'<a href="{SUMMIT_PRESENTATION}">the summit\'s presentation</a> (Élysée); '
                f'<a href="{SUMMIT_PROGRAMME_REPORT}">the programme of the two days</a> '
                "(The Indian Express); "
                f'<a href="{SUMMIT_THEMES}">the five themes</a> (Élysée); '
                f'<a href="{TAOISEACH_REPORT}">the Taoiseach\'s account of the summit</a> to the '
                "Dáil, 29 April 2025.</p>"
            ),
            # The dates and the venue are sourced; the hours are indicative (no page at hand
            # gives the opening and closing times).
            "start": datetime(2025, 2, 10, 9, 0, tzinfo=PARIS),
            "end": datetime(2025, 2, 11, 18, 0, tzinfo=PARIS),
            "venue": "Grand Palais",
            "website": SUMMIT_WEBSITE,
            "timezone": "Europe/Paris",
            "city": "Paris",
            "country": "FR",
            "event_status": Event.EventStatus.COMPLETED,
            **PUBLISHED,
        },
        m2m={
            "hosts": [org("french-government"), org("european-commission")],
            "host_people": [person("emmanuel-macron"), person("ursula-von-der-leyen")],
            "topics": [
                topic("ai-governance"),
                topic("ai-safety"),
                topic("investment"),
                topic("international-cooperation"),
            ],
        },
    )
    dfp = cat.upsert(
        Event,
        key=DFP_2024,
        lookup={"slug": DFP_2024},
        values={
            "title": "Data for Policy 2024",
            "kind": Event.Kind.CONFERENCE,
            "summary": (
                "The Data for Policy conference at Imperial College London, on the theme "
                "“Trustworthy Governance with AI”."
            ),
            "description": (
                "<p>Speakers examined the main challenges of AI governance, the changing role of "
                "generative AI, and why AI for the public good should take priority over "
                "narratives of existential risk. The conference also held its first "
                "region-focused special track, on AI ethics and policy governance in Africa.</p>"
                "<p>The eighth Data for Policy conference ran from 9 to 11 July 2024 at Imperial "
                "College London, with more than 130 presenters and delegates from six "
                "continents. Its chairs were Zeynep Engin, Jon Crowcroft and Stefaan Verhulst.</p>"
                f'<p>Sources: <a href="{DFP_2024_REPORT}">the conference\'s report</a> (Data for '
                f'Policy); <a href="{DFP_2024_CALL}">its call for special tracks</a> '
                "(CODATA).</p>"
            ),
            "theme": "Trustworthy Governance with AI",
            # The days are sourced; the hours are indicative (no page at hand gives them).
            "start": datetime(2024, 7, 9, 9, 0, tzinfo=LONDON),
            "end": datetime(2024, 7, 11, 17, 30, tzinfo=LONDON),
            "website": DFP_2024_REPORT,
            "timezone": "Europe/London",
            "venue": "Imperial College London",
            "city": "London",
            "country": "GB",
            "event_status": Event.EventStatus.COMPLETED,
            **PUBLISHED,
        },
        m2m={
            "organisers": [org("data-for-policy")],
            "topics": [topic("ai-governance"), topic("ai-ethics"), topic("public-services")],
        },
    )
    track = cat.upsert(
        Track,
        key=AFRICA_TRACK,
        lookup={"event": dfp, "slug": AFRICA_TRACK},
        values={
            "title": "Special Track on AI Ethics and Policy Governance in Africa",
            "organiser": org("global-center-on-ai-governance"),
            "description": (
                "<p>The conference's first region-focused special track brought perspectives "
                "from Sub-Saharan Africa into the global debate and argued for more inclusive "
                "AI governance frameworks. A special collection of articles grew out of it.</p>"
            ),
            "is_special": True,
            "order": 1,
        },
    )

    side = {"programme": Session.Programme.SIDE, **PUBLISHED}
    official = {"programme": Session.Programme.OFFICIAL, **PUBLISHED}

    sessions = [
        # (event, slug, values, hosts, topics, participants: (person, role, shown affiliation))
        (
            summit,
            "governing-in-the-age-of-ai",
            {
                "title": "Governing in the Age of AI",
                "kind": Session.Kind.SIDE_EVENT,
                "summary": (
                    "A fringe event in Paris on AI's economic impact, its governance and its "
                    "safety, making the case for ethical leadership, strategic investment and "
                    "balanced regulation."
                ),
                **side,
            },
            ["tony-blair-institute"],
            ["ai-governance", "ai-safety", "investment"],
            [],
        ),
        (
            summit,
            "future-of-ai-governance-in-search-of-a-balance",
            {
                "title": "The Future of AI Governance: In Search of a Balance",
                "kind": Session.Kind.ROUNDTABLE,
                "summary": (
                    "A roundtable organised by UNESCO's Information for All Programme working "
                    "groups on information accessibility and on information ethics."
                ),
                **side,
            },
            ["ifap-wgia", "ifap-working-group-information-ethics"],
            ["ai-governance", "ai-ethics"],
            [("stefaan-verhulst", SessionParticipant.Role.PANELLIST, "Data for Policy CIC")],
        ),
        (
            dfp,
            "transforming-governance-with-ai-and-trustworthiness",
            {
                "title": "Transforming Governance with AI & Trustworthiness",
                "kind": Session.Kind.PANEL,
                "summary": "Insights on trustworthy AI governance.",
                **official,
            },
            [],
            ["ai-governance", "public-services"],
            [
                (
                    "alexander-iosad",
                    SessionParticipant.Role.SPEAKER,
                    "Tony Blair Institute for Global Change",
                )
            ],
        ),
        (
            dfp,
            "featured-expert-talks",
            {
                "title": "Featured expert talks: responsible AI and policy frameworks",
                "kind": Session.Kind.TALK,
                "summary": (
                    "Talks by leading experts on responsible AI, policy frameworks and "
                    "public-sector investment in AI research, gathered here as one programme "
                    "entry."
                ),
                **official,
            },
            [],
            ["ai-governance", "investment", "public-services"],
            [
                ("jennifer-prendki", SessionParticipant.Role.SPEAKER, "Google DeepMind"),
                ("a-aldo-faisal", SessionParticipant.Role.SPEAKER, "Imperial College London"),
                ("russell-wald", SessionParticipant.Role.SPEAKER, "Stanford HAI"),
                ("friederike-schuur", SessionParticipant.Role.SPEAKER, "UNICEF"),
                ("andrea-renda", SessionParticipant.Role.SPEAKER, "CEPS"),
                (
                    "gina-neff",
                    SessionParticipant.Role.SPEAKER,
                    "Minderoo Centre for Technology and Democracy",
                ),
            ],
        ),
        (
            dfp,
            "ai-ethics-and-policy-governance-in-africa",
            {
                "title": "AI Ethics and Policy Governance in Africa",
                "kind": Session.Kind.PAPER,
                "track": track,
                "summary": (
                    "Contributions from experts in Sub-Saharan Africa on making AI governance "
                    "frameworks more inclusive."
                ),
                **official,
            },
            [],
            ["ai-governance", "ai-ethics", "africa"],
            [],
        ),
    ]
    for event, slug, values, hosts, topics, participants in sessions:
        session = cat.upsert(
            Session,
            key=slug,
            lookup={"event": event, "slug": slug},
            values=values,
            m2m={"hosts": [org(h) for h in hosts], "topics": [topic(t) for t in topics]},
        )
        kept = [
            cat.upsert(
                SessionParticipant,
                lookup={"session": session, "person": cat[Person, person], "role": role},
                values={"affiliation_text": shown, "order": order},
            )
            for order, (person, role, shown) in enumerate(participants, start=1)
        ]
        cat.prune(SessionParticipant, keep=kept, session=session)


STEPS: list[tuple[str, Callable[[Catalogue], None], list[type[models.Model]]]] = [
    ("Topics", load_topics, [Topic]),
    ("Organisations", load_organisations, [Organisation]),
    ("People", load_people, [Person]),
    ("Events, tracks and sessions", load_events, [Event, Track, Session, SessionParticipant]),
]
