"""Demo journal, special collection, articles and the news post reporting the Paris summit.

The news post is written afresh from the facts of our report, and links every event, session,
initiative, article, person and organisation it mentions to that item: as references, which
the site turns into the item's current URL when the post is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db import models
from django.utils.html import format_html

from core.references import Ref
from events.demo import AFRICA_TRACK, DFP_2024, PARIS, PUBLISHED, SUMMIT, Catalogue
from events.models import Event, Organisation, Person, Session, Topic, Track
from initiatives.models import Initiative

from .models import Article, ArticleAuthor, Collection, Journal, Licence, NewsPost

JOURNAL = "data-and-policy"
AFRICA_COLLECTION = "ai-ethics-and-policy-governance-in-africa"
CITIZENS_ARTICLE = "exploring-citizens-stances-on-ai-in-public-services"
PEACE_ARTICLE = "ai-for-peace-mitigating-risks-enhancing-opportunities"
NEWS_POST = "paris-ai-action-summit-2025-what-was-agreed"
NEWS_PUBLISH_AT = datetime(2025, 2, 14, 9, 0, tzinfo=PARIS)


def load_journal(cat: Catalogue) -> None:
    journal = cat.upsert(
        Journal,
        key=JOURNAL,
        lookup={"slug": JOURNAL},
        values={
            "title": "Data & Policy",
            "publisher": cat[Organisation, "cambridge-university-press"],
            "first_year": 2019,
            # Data & Policy appears online only; this is its electronic ISSN.
            "issn": "",
            "eissn": "2632-3249",
            "description": (
                "<p>A peer-reviewed, open-access journal on the use of data and AI in "
                "policy and governance, published since 2019.</p>"
            ),
            "website": "https://www.cambridge.org/core/journals/data-and-policy",
            **PUBLISHED,
        },
    )
    cat.upsert(
        Collection,
        key=AFRICA_COLLECTION,
        lookup={"slug": AFRICA_COLLECTION},
        values={
            "journal": journal,
            "title": "Special collection: AI Ethics and Policy Governance in Africa",
            "description": (
                "<p>Articles that grew out of the Data for Policy 2024 special track on AI "
                "ethics and policy governance in Africa, organised by the Global Center on AI "
                "Governance.</p>"
            ),
            "track": cat[Track, AFRICA_TRACK],
            **PUBLISHED,
        },
    )
    for slug, article in ARTICLES.items():
        saved = cat.upsert(
            Article,
            key=slug,
            lookup={"slug": slug},
            values={
                "journal": journal,
                "title": article["title"],
                "article_type": article["type"],
                "abstract": article["abstract"],
                "doi": article["doi"],
                "volume": article["volume"],
                "published_on": article["published_on"],
                "licence": Licence.CC_BY_4,
                **PUBLISHED,
            },
            m2m={"topics": [cat[Topic, t] for t in article["topics"]]},
        )
        for order, (person_slug, name, sort_name, affiliation) in enumerate(article["authors"]):
            person = cat.upsert(
                Person,
                key=person_slug,
                lookup={"slug": person_slug},
                values={"name": name, "sort_name": sort_name, **PUBLISHED},
            )
            cat.upsert(
                ArticleAuthor,
                lookup={"article": saved, "person": person},
                values={"affiliation_text": affiliation, "order": order},
            )


# The two articles the report names, with their metadata as the publisher's pages give it
# (cambridge.org, Data & Policy; the first article's DOI, volume and year also in its index
# records, e.g. https://ouci.dntb.gov.ua/works/4NBmLp24; the second's online date, type,
# affiliations and CC BY licence on its reader page,
# https://www.cambridge.org/core/product/797BCCFF182A0367F2A99FC5FB064150/core-reader).
# The abstracts are summaries in our own words. Data & Policy publishes articles one by one,
# without issues, so no issue is given. Where no page at hand gave a fact (the first article's
# online date, the second's DOI and volume, any author's ORCID iD, article numbers), the field
# stays empty rather than guessed: the page and the citation exports then leave it out.
AGDER = "Department of Information Systems, University of Agder, Kristiansand, Norway"
NTNU = (
    "Department of Computer Science, Norwegian University of Science and Technology, "
    "Trondheim, Norway"
)
ARTICLES: dict[str, dict] = {
    CITIZENS_ARTICLE: {
        "title": (
            "Exploring Citizens' Stances on AI in Public Services: A Social Contract Perspective"
        ),
        "type": Article.ArticleType.RESEARCH,
        "doi": "10.1017/dap.2024.13",
        "volume": "6",
        "published_on": None,
        "topics": ["public-services", "ai-governance"],
        "abstract": (
            "<p>How do citizens feel about AI in the public services they depend on? The "
            "authors showed twenty people in Norway a prototype of a public welfare service "
            "that used AI and interviewed them about it. Read through social contract theory, "
            "at the level of society, of the service and of the single decision, most "
            "answers were favourable, for three reasons: trust in government is high, the "
            "service balances what the individual and the community gain, and people stay "
            "in the loop, with processes, data and the model's reasoning open to view.</p>"
            "<p>The study suggests that AI in the public sector is best designed around the "
            "relationship between government and citizens, and offers lessons for policy "
            "makers and designers.</p>"
        ),
        "authors": [
            ("stefan-schmager", "Stefan Schmager", "Schmager, Stefan", AGDER),
            (
                "charlotte-husom-groder",
                "Charlotte Husom Grøder",
                "Grøder, Charlotte Husom",
                NTNU,
            ),
            (
                "elena-parmiggiani",
                "Elena Parmiggiani",
                "Parmiggiani, Elena",
                f"{NTNU}; SINTEF Nord AS, Tromsø, Norway",
            ),
            ("ilias-pappas", "Ilias Pappas", "Pappas, Ilias", f"{AGDER}; {NTNU}"),
            (
                "polyxeni-vassilakopoulou",
                "Polyxeni Vassilakopoulou",
                "Vassilakopoulou, Polyxeni",
                AGDER,
            ),
        ],
    },
    PEACE_ARTICLE: {
        "title": "AI for Peace: Mitigating the Risks and Enhancing Opportunities",
        "type": Article.ArticleType.TRANSLATIONAL,
        "doi": "",
        "volume": "",
        "published_on": date(2024, 10, 15),
        "topics": ["defence", "ai-safety"],
        "abstract": (
            "<p>Much has been written on how AI can be turned into a weapon and a tool of "
            "military rivalry; far less on what it can do for peace. This article takes stock "
            "of the field sometimes called PeaceTech: how the effect of AI on peace and "
            "conflict can be framed and measured, which risks AI poses to peace and which "
            "governance measures could contain them, and AI-based initiatives that already "
            "help peace, as a guide for public and private investment. It closes with policy "
            "recommendations for an agenda of AI for peace.</p>"
        ),
        "authors": [
            (
                "michele-giovanardi",
                "Michele Giovanardi",
                "Giovanardi, Michele",
                "Florence School of Transnational Governance, European University Institute, "
                "Florence, Italy; University for Peace, Ciudad Colón, Costa Rica",
            ),
        ],
    },
}


def link(obj: models.Model, text: str | None = None) -> str:
    """A link to one of our items, stored as a reference (``core.references``), not a URL."""
    label = text if text is not None else str(obj)
    return format_html('<a data-ref="{}">{}</a>', Ref.to(obj), label)


def news_body(cat: Catalogue) -> str:
    """The news post's HTML, in sections, with a link for every entity it mentions."""

    def org(slug: str, text: str | None = None) -> str:
        return link(cat[Organisation, slug], text)

    def person(slug: str, text: str | None = None) -> str:
        return link(cat[Person, slug], text)

    def ini(slug: str, text: str | None = None) -> str:
        return link(cat[Initiative, slug], text)

    def session(slug: str, text: str | None = None) -> str:
        return link(cat[Session, slug], text)

    summit = link(cat[Event, SUMMIT], "Paris AI Action Summit")
    dfp = link(cat[Event, DFP_2024], "Data for Policy 2024")
    sections = [
        (
            "Two days, more than a hundred countries",
            [
                f"On 10 and 11 February 2025 the {summit} gathered delegations from over 100 "
                f"countries, technology companies, researchers and civil society. "
                f"{person('emmanuel-macron')} of {org('french-government', 'France')} and "
                f"{person('ursula-von-der-leyen')} of the {org('european-commission')} were its "
                f"hosts. Rather than a meeting of governments alone, it was run as an open "
                f"forum of many stakeholders, with the aim of AI that puts people first and is "
                f"ethical, safe, secure and trustworthy.",
            ],
        ),
        (
            "Money on the table",
            [
                f"The {org('european-union')} presented {ini('investai')}, a plan to mobilise "
                f"EUR 200 billion for AI. EUR 20 billion of it goes to a "
                f"{ini('ai-gigafactories-fund', 'new European fund for AI gigafactories')}, "
                f"large computing sites for training the most demanding models. "
                f"{org('general-catalyst')} leads an "
                f"{ini('general-catalyst-ai-initiative', 'associated initiative')} that will "
                f"work with the Commission on simpler AI rules and faster adoption.",
                f"President Macron also said that "
                f"{ini('france-ai-private-investment', 'private investors will commit')} around "
                f"EUR 109 billion to AI in France.",
            ],
        ),
        (
            "Open tools and public-interest AI",
            [
                f"Macron launched {ini('current-ai')}, a public-interest "
                f"{org('current-ai', 'foundation')} starting with USD 400 million from the "
                f"French government, philanthropists and industry. It will widen access to "
                f"datasets, fund open-source tools and measure what AI does to society; eleven "
                f"governments back it. {ini('roost', 'ROOST')}, run by "
                f"{org('roost', 'a coalition of technology leaders')}, made its debut with a "
                f"promise of free, open-source safety tools for organisations.",
                f"Data protection regulators from six countries signed a "
                f"{ini('data-protection-authorities-joint-declaration', 'joint declaration')} "
                f"on privacy standards for AI, asking for data protection to be designed in "
                f"from the start. In defence, {org('mistral-ai')} and {org('helsing')} "
                f"announced a {ini('mistral-ai-helsing-partnership', 'partnership')} on AI "
                f"systems, vision-language-action models among them, to support decisions in "
                f"complex situations.",
            ],
        ),
        (
            "A statement sixty signed, and two did not",
            [
                f"The summit's main text, the "
                f"{ini('paris-statement-inclusive-sustainable-ai')}, sets out priorities: make "
                f"AI accessible so that digital divides shrink, keep it ethical and "
                f"trustworthy, and cooperate internationally on its governance. It follows the "
                f"{ini('bletchley-declaration', 'Bletchley Declaration')} and "
                f"{ini('seoul-declaration', 'Seoul Declaration')}. Sixty signed by our "
                f"count, Canada, China, France and India among them, with the "
                f"{org('european-union')} and the {org('african-union-commission')}: other "
                f"reports give between 58 and 64.",
                f"The United States and the United Kingdom did not sign. A spokesperson for "
                f"{person('keir-starmer', 'Prime Minister Keir Starmer')} said the text gave too "
                f"little practical guidance on governing AI worldwide and skirted the hard "
                f"questions AI raises for national security; the "
                f"{org('uk-government')} said security must stay central to AI's future and "
                f"that it would keep talking.",
            ],
        ),
        (
            "Around the summit",
            [
                f"The {org('tony-blair-institute')} held a fringe event, "
                f"{session('governing-in-the-age-of-ai', '“Governing in the Age of AI”')}, on "
                f"the economics, governance and safety of AI. Its senior adviser "
                f"{person('alexander-iosad')} had spoken on trustworthy AI governance at "
                f"{dfp}, in the session "
                f"{session('transforming-governance-with-ai-and-trustworthiness')}.",
                f"{person('stefaan-verhulst')}, director of {org('data-for-policy')}, joined "
                f"the roundtable "
                f"{session('future-of-ai-governance-in-search-of-a-balance')}, organised by "
                f"the {org('ifap-wgia')} of {org('unesco', 'UNESCO')}'s "
                f"{org('ifap')} with the {org('ifap-working-group-information-ethics')}.",
            ],
        ),
        (
            "What came before",
            [
                f"In the run-up to Paris, the {org('uk-government')} published an "
                f"{ini('uk-ai-playbook', 'AI Playbook')} for public services and set up "
                f"{ini('uk-ai-growth-zones')}, introduced an "
                f"{ini('uk-ai-cyber-security-standard', 'AI cyber security standard')} and "
                f"reviewed its digital public sector in the "
                f"{ini('state-of-digital-government-review')}, which calls for deep reform to "
                f"benefit from AI. The European Union set out its "
                f"{ini('eu-competitiveness-compass')}. Experts including "
                f"{person('yoshua-bengio')} produced the "
                f"{ini('international-ai-safety-report-2025')}, and "
                f"{ini('openeurollm')}, a project with the backing of "
                f"{org('openeurollm-consortium', 'twenty European institutions')}, set out to "
                f"build multilingual AI models that are transparent and compliant.",
            ],
        ),
        (
            "Research behind the debate",
            [
                f"{dfp}, held at {org('imperial-college-london')} on the theme “Trustworthy "
                f"Governance with AI”, looked at the governance of generative AI and argued for "
                f"AI in the public interest over existential-risk narratives. "
                f"{session('featured-expert-talks', 'Its speakers')} included "
                f"{person('jennifer-prendki', 'Dr Jennifer Prendki')} "
                f"({org('google-deepmind')}), {person('a-aldo-faisal')} "
                f"({org('imperial-college-london', 'Imperial College London')}), "
                f"{person('russell-wald')} ({org('stanford-hai', 'Stanford HAI')}), "
                f"{person('friederike-schuur')} ({org('unicef')}), {person('andrea-renda')} "
                f"({org('ceps', 'CEPS')}) and {person('gina-neff')} "
                f"({org('minderoo-centre')}).",
                f"The conference's first regional "
                f"{session('ai-ethics-and-policy-governance-in-africa', 'special track')}, "
                f"organised by the {org('global-center-on-ai-governance')}, brought in voices "
                f"from Sub-Saharan Africa; its papers form a "
                f"{link(cat[Collection, AFRICA_COLLECTION], 'special collection')} in "
                f"Data & Policy, the journal published by "
                f"{org('cambridge-university-press')}. Among the articles it has published are "
                f"{link(cat[Article, CITIZENS_ARTICLE])} and "
                f"{link(cat[Article, PEACE_ARTICLE])}.",
            ],
        ),
    ]
    return "\n".join(
        f"<h2>{heading}</h2>\n" + "\n".join(f"<p>{p}</p>" for p in paragraphs)
        for heading, paragraphs in sections
    )


NEWS_PEOPLE = [
    "emmanuel-macron",
    "ursula-von-der-leyen",
    "keir-starmer",
    "yoshua-bengio",
    "alexander-iosad",
    "stefaan-verhulst",
    "jennifer-prendki",
    "a-aldo-faisal",
    "russell-wald",
    "friederike-schuur",
    "andrea-renda",
    "gina-neff",
]
NEWS_SESSIONS = [
    "governing-in-the-age-of-ai",
    "future-of-ai-governance-in-search-of-a-balance",
    "transforming-governance-with-ai-and-trustworthiness",
    "featured-expert-talks",
    "ai-ethics-and-policy-governance-in-africa",
]


def load_news(cat: Catalogue) -> None:
    """Load the news post."""
    body = news_body(cat)
    cat.upsert(
        NewsPost,
        key=NEWS_POST,
        lookup={"slug": NEWS_POST},
        values={
            "title": "Paris AI Action Summit: big investment pledges and a statement two "
            "countries would not sign",
            "standfirst": (
                "Over two days in February 2025, Paris saw hundreds of billions of euros "
                "pledged for AI, new open-source and safety efforts, and a statement on "
                "inclusive, sustainable AI that sixty countries and organisations signed and the "
                "United States and United Kingdom did not."
            ),
            "body": body,
            "dateline": "Paris, France",
            "status": PUBLISHED["status"],
            "publish_at": NEWS_PUBLISH_AT,
            "unpublish_at": None,
        },
        m2m={
            "topics": [
                cat[Topic, t]
                for t in ("ai-governance", "ai-safety", "investment", "international-cooperation")
            ],
            "related_events": cat.all(Event),
            "related_sessions": [cat[Session, s] for s in NEWS_SESSIONS],
            "related_initiatives": cat.all(Initiative),
            "related_articles": cat.all(Article),
            "related_people": [cat[Person, p] for p in NEWS_PEOPLE],
            "related_organisations": cat.all(Organisation),
        },
    )


STEPS: list[tuple[str, Callable[[Catalogue], object], list[type[models.Model]]]] = [
    (
        "Journal, collection and articles",
        load_journal,
        [Journal, Collection, Article, ArticleAuthor],
    ),
    ("News post", load_news, [NewsPost]),
]
