"""Demo initiatives: what was announced at and around the Paris AI Action Summit 2025.

Amounts, counts and signatories are those our report gives, with the parties to the Paris
statement that a cited report names, each with its source. Where no source at hand names
them (the six data protection authorities, the eleven governments behind Current AI, the
signatories of the Paris statement no cited page lists) the reported number is stored and no
names are made up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import models

from events.demo import PUBLISHED, SUMMIT, Catalogue
from events.models import Event, Organisation, Person, Topic

from .models import Initiative, ReferenceRate, Signatory, Source

Kind = Initiative.Kind
Q = Initiative.AmountQualifier
S = Initiative.InitiativeStatus

# Where each fact about the Paris statement was found. No page at hand reproduces the official
# list in full, so the statement names only the parties a cited page names, each with its page.
ELYSEE_STATEMENT = (
    "https://www.elysee.fr/en/emmanuel-macron/2025/02/11/"
    "statement-on-inclusive-and-sustainable-artificial-intelligence-for-people-and-the-planet"
)
DIG_WATCH_STATEMENT = (
    "https://dig.watch/resource/ai-action-summit-statement-on-inclusive-and-sustainable-"
    "artificial-intelligence-for-people-and-the-planet"
)
COMPUTER_WEEKLY = (
    "https://www.computerweekly.com/news/366619274/"
    "AI-Action-Summit-UK-and-US-refuse-to-sign-inclusive-AI-statement"
)
BRUSSELS_TIMES = (
    "https://www.brusselstimes.com/1439589/"
    "paris-summit-58-countries-excluding-the-united-states-agree-on-open-ethical-ai"
)
CAJ_NEWS = "https://www.cajnewsafrica.com/2025/02/13/african-countries-sign-global-ai-agreement/"
HCA_MAG = (
    "https://hcamag.com/au/specialisation/hr-technology/"
    "over-60-signatories-push-for-inclusive-open-approach-to-ai/524783"
)
ANADOLU = (
    "https://www.aa.com.tr/en/energy/general/"
    "61-countries-agree-on-open-inclusive-and-ethical-ai-at-summit-in-france/47454"
)
AUSTRALIA_DISR = "https://industry.gov.au/news/australia-signs-paris-ai-action-summit-statement"
CORREIO_BRAZILIENSE = (
    "https://www.correiobraziliense.com.br/economia/2025/02/"
    "7058486-cupula-de-paris-61-paises-assinam-acordo-sobre-ia-eua-e-reino-unido-ficam-de-fora.html"
)
REUTERS_VIA_BRECORDER = (
    "https://www.brecorder.com/news/40347430/us-britain-have-not-signed-paris-ai-summit-declaration"
)
# ANI's report: 58 countries plus the European Union and the African Union, our report's 60.
ANI_VIA_HAMRAKURA = "https://english.hamrakura.com/news-details/2827/2025-02-13"
QUICK_BREAK_NEWS = "https://quickbreaknews.com/us-and-uk-decline-to-sign-global-ai-declaration"
FRANCAIS_ES = (
    "https://xn--franais-xxa.es/"
    "plus-de-60-pays-demandent-une-ia-ouverte-et-inclusive-dans-un-appel-avec-la-chine-mais-"
    "sans-les-etats-unis"
)

# Each entry: slug -> fields. "lead", "partners", "people", "topics", "builds_on" name other demo
# rows by slug; "at_summit" means announced at the Paris AI Action Summit 2025.
INITIATIVES: dict[str, dict] = {
    "bletchley-declaration": {
        "title": "The Bletchley Declaration",
        "kind": Kind.DECLARATION,
        "initiative_status": S.PUBLISHED,
        "announced_on": date(2023, 11, 1),
        "summary": (
            "Countries attending the 2023 AI Safety Summit at Bletchley Park agreed to work "
            "together on the risks of frontier AI."
        ),
        "lead": ["uk-government"],
        "topics": ["ai-safety", "international-cooperation"],
    },
    "seoul-declaration": {
        "title": "The Seoul Declaration",
        "kind": Kind.DECLARATION,
        "initiative_status": S.PUBLISHED,
        "announced_on": date(2024, 5, 21),
        "summary": (
            "Adopted at the 2024 AI Seoul Summit: a commitment to safe, innovative and "
            "inclusive AI through international cooperation."
        ),
        "topics": ["ai-safety", "international-cooperation"],
        "builds_on": ["bletchley-declaration"],
    },
    "investai": {
        "title": "InvestAI",
        "kind": Kind.INVESTMENT,
        "announced_on": date(2025, 2, 11),
        "at_summit": True,
        "summary": (
            "The European Union's programme to mobilise EUR 200 billion for investment in AI, "
            "including a EUR 20 billion fund for AI gigafactories."
        ),
        "amount": Decimal("200000000000.00"),
        "currency": "EUR",
        "amount_note": "to be mobilised for AI investment",
        "jurisdictions": ["EU"],
        "lead": ["european-commission"],
        "topics": ["investment"],
    },
    "ai-gigafactories-fund": {
        "title": "European fund for AI gigafactories",
        "kind": Kind.FUND,
        "at_summit": True,
        "part_of": "investai",
        "summary": (
            "A new European fund, part of InvestAI, to build AI gigafactories: infrastructure "
            "for training the most complex AI models."
        ),
        "amount": Decimal("20000000000.00"),
        "currency": "EUR",
        "jurisdictions": ["EU"],
        "lead": ["european-commission"],
        "topics": ["investment"],
    },
    "general-catalyst-ai-initiative": {
        "title": "General Catalyst-led AI initiative with the European Commission",
        "kind": Kind.PARTNERSHIP,
        "at_summit": True,
        "part_of": "investai",
        "summary": (
            "Reported alongside InvestAI: an initiative led by General Catalyst that will work "
            "with the European Commission to simplify AI regulation and speed up AI adoption."
        ),
        "jurisdictions": ["EU"],
        "lead": ["general-catalyst"],
        "partners": ["european-commission"],
        "topics": ["investment", "ai-governance"],
    },
    "france-ai-private-investment": {
        "title": "Private investment in France's AI sector",
        "kind": Kind.INVESTMENT,
        "at_summit": True,
        "summary": (
            "President Macron announced that private investors will put about EUR 109 billion "
            "into artificial intelligence in France."
        ),
        "amount": Decimal("109000000000.00"),
        "currency": "EUR",
        "amount_qualifier": Q.APPROXIMATELY,
        "amount_note": "private-sector investment",
        "jurisdictions": ["FR"],
        "people": ["emmanuel-macron"],
        "topics": ["investment"],
    },
    "current-ai": {
        "title": "Current AI",
        "kind": Kind.FOUNDATION,
        "at_summit": True,
        "summary": (
            "A public-interest foundation to open up access to datasets, invest in open-source "
            "AI tools and measure AI's effect on society. Eleven governments, several of them "
            "EU members, support it."
        ),
        "amount": Decimal("400000000.00"),
        "currency": "USD",
        "amount_qualifier": Q.INITIAL,
        "amount_note": "from the French government, philanthropists and industry partners",
        # The governments supporting it, as reported; the report does not name them.
        "reported_signatory_count": 11,
        "lead": ["current-ai"],
        "partners": ["french-government"],
        "people": ["emmanuel-macron"],
        "topics": ["open-source", "ai-governance"],
    },
    "roost": {
        "title": "Robust Open Online Safety Tools",
        "short_title": "ROOST",
        "kind": Kind.TOOLS,
        "at_summit": True,
        "summary": (
            "Technology leaders building free, open-source safety tools that any organisation "
            "can use, with a focus on AI for safer online spaces."
        ),
        "lead": ["roost"],
        "topics": ["online-safety", "open-source", "ai-safety"],
    },
    "data-protection-authorities-joint-declaration": {
        "title": "Joint declaration of data protection authorities on AI and privacy",
        "kind": Kind.DECLARATION,
        "initiative_status": S.PUBLISHED,
        "at_summit": True,
        "summary": (
            "Data protection authorities from six countries agreed to work together on privacy "
            "standards for AI, so that data protection is built into AI systems by design."
        ),
        # Six authorities signed; the report does not say which, so none are listed by name.
        "reported_signatory_count": 6,
        "topics": ["data-privacy", "ai-governance"],
    },
    "mistral-ai-helsing-partnership": {
        "title": "Mistral AI and Helsing defence AI partnership",
        "kind": Kind.PARTNERSHIP,
        "at_summit": True,
        "summary": (
            "The French start-up Mistral AI and the European defence technology company Helsing "
            "will develop AI systems for defence, including vision-language-action models to "
            "support decisions in complex situations."
        ),
        "lead": ["mistral-ai", "helsing"],
        "topics": ["defence"],
    },
    "paris-statement-inclusive-sustainable-ai": {
        "title": (
            "Statement on Inclusive and Sustainable Artificial Intelligence for People and the "
            "Planet"
        ),
        "short_title": "Paris statement on inclusive and sustainable AI",
        "kind": Kind.DECLARATION,
        "initiative_status": S.PUBLISHED,
        "announced_on": date(2025, 2, 11),
        "at_summit": True,
        "summary": (
            "The summit's main statement: make AI accessible to narrow digital divides, keep it "
            "ethical and trustworthy, and strengthen international cooperation on its "
            "governance. About sixty countries and organisations signed; the United States and "
            "the United Kingdom did not."
        ),
        "description": (
            "<p>Published by the Élysée on 11 February 2025, the last day of the summit. The "
            "count of signatories differs from one report to another: our report and CAJ News "
            "give 60, Computer Weekly and Anadolu Agency 61, The Brussels Times 58 and HCAMag "
            "64, a count that takes in the European Union and the African Union Commission. "
            "ANI's report reconciles two of them: 58 countries, plus the European Union and the "
            "African Union, make our report's 60. The Élysée said on the day that more countries "
            "could sign after the event. We show 60, as our report does, and name below only the "
            "parties a cited source names, each with its source; the others are counted, not "
            "guessed. The statement as published is on the "
            f'<a href="{ELYSEE_STATEMENT}">Élysée\'s website</a>.</p>'
        ),
        "website": ELYSEE_STATEMENT,
        "reported_signatory_count": 60,
        "topics": ["ai-governance", "ai-ethics", "international-cooperation"],
        "builds_on": ["bletchley-declaration", "seoul-declaration"],
    },
    "uk-ai-playbook": {
        "title": "AI Playbook for the UK Government",
        "short_title": "UK AI Playbook",
        "kind": Kind.GUIDANCE,
        "initiative_status": S.PUBLISHED,
        "summary": (
            "Guidance for using AI ethically across public services while encouraging "
            "innovation and trust."
        ),
        "jurisdictions": ["GB"],
        "lead": ["uk-government"],
        "topics": ["public-services", "ai-ethics"],
    },
    "uk-ai-growth-zones": {
        "title": "AI Growth Zones",
        "kind": Kind.PROGRAMME,
        "summary": "A UK programme of designated zones meant to speed up innovation in AI.",
        "jurisdictions": ["GB"],
        "lead": ["uk-government"],
        "topics": ["investment"],
    },
    "eu-competitiveness-compass": {
        "title": "Competitiveness Compass",
        "kind": Kind.PROGRAMME,
        "summary": (
            "The European Union's plan to strengthen technological leadership and economic "
            "resilience, with Europe aiming to lead in AI."
        ),
        "jurisdictions": ["EU"],
        "lead": ["european-commission"],
        "topics": ["investment", "ai-governance"],
    },
    "international-ai-safety-report-2025": {
        "title": "International AI Safety Report 2025",
        "kind": Kind.REPORT,
        "initiative_status": S.PUBLISHED,
        "summary": (
            "A report by AI experts, Yoshua Bengio among them, that calls for a common "
            "approach to AI safety."
        ),
        "people": ["yoshua-bengio"],
        "topics": ["ai-safety", "international-cooperation"],
    },
    "openeurollm": {
        "title": "OpenEuroLLM",
        "kind": Kind.PROJECT,
        "initiative_status": S.ACTIVE,
        "summary": (
            "A project backed by 20 European institutions to build multilingual AI models, "
            "with an emphasis on transparency and regulatory compliance."
        ),
        "lead": ["openeurollm-consortium"],
        "topics": ["open-source"],
    },
    "uk-ai-cyber-security-standard": {
        "title": "UK AI cyber security standard",
        "kind": Kind.STANDARD,
        "initiative_status": S.PUBLISHED,
        "summary": (
            "A UK standard to protect AI systems from cyber attack and make AI-based products "
            "more resilient."
        ),
        "jurisdictions": ["GB"],
        "lead": ["uk-government"],
        "topics": ["cyber-security", "ai-safety"],
    },
    "state-of-digital-government-review": {
        "title": "State of Digital Government Review",
        "kind": Kind.REPORT,
        "initiative_status": S.PUBLISHED,
        "summary": (
            "A review of the UK's digital public sector: large potential, and deep reform "
            "needed to make the most of AI and other new technologies."
        ),
        "jurisdictions": ["GB"],
        "lead": ["uk-government"],
        "topics": ["public-services"],
    },
}

# (title, url, publisher, published on) for the statement's Sources.
PARIS_STATEMENT_SOURCES = [
    (
        "Statement on Inclusive and Sustainable Artificial Intelligence for People and the "
        "Planet",
        ELYSEE_STATEMENT,
        "Élysée",
        date(2025, 2, 11),
    ),
    ("The statement's text, reproduced", DIG_WATCH_STATEMENT, "Digital Watch Observatory", None),
    ("AI Action Summit: UK and US refuse to sign inclusive AI statement", COMPUTER_WEEKLY,
     "Computer Weekly", date(2025, 2, 12)),
    ("Paris summit: 58 countries, excluding the United States, agree on open, ethical AI",
     BRUSSELS_TIMES, "The Brussels Times", None),
    ("African countries sign global AI agreement", CAJ_NEWS, "CAJ News Africa",
     date(2025, 2, 13)),
    ("Over 60 signatories push for inclusive, open approach to AI", HCA_MAG,
     "HCAMag", None),
    ("61 countries agree on open, inclusive and ethical AI at summit in France", ANADOLU,
     "Anadolu Agency", None),
    (
        "Australia signs Paris AI Action Summit statement",
        AUSTRALIA_DISR,
        "Department of Industry, Science and Resources (Australia)",
        None,
    ),
    (
        "Cúpula de Paris: 61 países assinam acordo sobre IA; EUA e Reino Unido ficam de fora",
        CORREIO_BRAZILIENSE,
        "Correio Braziliense",
        None,
    ),
    ("US, Britain have not signed Paris AI summit declaration", REUTERS_VIA_BRECORDER,
     "Reuters (via Business Recorder)", date(2025, 2, 11)),
    ("AI Action Summit calls for human-centric approach; sets priorities for ethical and "
     "sustainable AI", ANI_VIA_HAMRAKURA, "RSS/ANI (via Hamrakura)", date(2025, 2, 13)),
    ("US and UK decline to sign global AI declaration", QUICK_BREAK_NEWS, "Quick Break News",
     None),
    ("Plus de 60 pays demandent une IA ouverte et inclusive dans un appel avec la Chine mais "
     "sans les États-Unis", FRANCAIS_ES, "Français.es", None),
]  # fmt: skip

# Both reasons in our words, from the reports cited beside them: the United Kingdom's from its
# Prime Minister's spokesperson (HCAMag, citing The Guardian), the United States' from its
# Vice President's speech (Anadolu Agency), as it gave no formal reason (Reuters).
UK_STATEMENT = (
    "The United Kingdom found that the statement said too little, in practical terms, about how "
    "AI should be governed worldwide, and that it left aside the harder questions AI raises for "
    "national security. It agreed with much of the text, signed other summit agreements, and "
    "said it would keep working closely with its international partners."
)
US_STATEMENT = (
    "The United States gave no formal reason for not signing. In his speech to the summit, "
    "Vice President JD Vance said the US wanted to work with other countries on AI but warned "
    "that heavy regulation could stifle a young industry, asked for international rules that "
    "encourage innovation, and cautioned against cooperating with authoritarian regimes."
)

Stance = Signatory.Stance
# The statement's parties a cited page names: (country or organisation slug, stance, statement,
# said by, person, source). Countries are ISO codes (VA, shown as Vatican City, is the Holy
# See), in the order of their names; organisations are demo slugs.
PARIS_STATEMENT_PARTIES = [
    ("AU", Stance.SIGNED, "", "", "", AUSTRALIA_DISR),
    ("BR", Stance.SIGNED, "", "", "", CORREIO_BRAZILIENSE),
    ("CA", Stance.SIGNED, "", "", "", COMPUTER_WEEKLY),
    ("CN", Stance.SIGNED, "", "", "", COMPUTER_WEEKLY),
    ("DJ", Stance.SIGNED, "", "", "", CAJ_NEWS),
    ("FR", Stance.SIGNED, "", "", "", COMPUTER_WEEKLY),
    ("DE", Stance.SIGNED, "", "", "", QUICK_BREAK_NEWS),
    ("IN", Stance.SIGNED, "", "", "", COMPUTER_WEEKLY),
    ("JP", Stance.SIGNED, "", "", "", COMPUTER_WEEKLY),
    ("KE", Stance.SIGNED, "", "", "", CAJ_NEWS),
    ("NZ", Stance.SIGNED, "", "", "", HCA_MAG),
    ("NG", Stance.SIGNED, "", "", "", CAJ_NEWS),
    ("RW", Stance.SIGNED, "", "", "", CAJ_NEWS),
    ("SN", Stance.SIGNED, "", "", "", CAJ_NEWS),
    ("SG", Stance.SIGNED, "", "", "", HCA_MAG),
    ("ZA", Stance.SIGNED, "", "", "", CAJ_NEWS),
    ("ES", Stance.SIGNED, "", "", "", FRANCAIS_ES),
    ("VA", Stance.SIGNED, "", "", "", HCA_MAG),
    ("african-union-commission", Stance.SIGNED, "", "", "", BRUSSELS_TIMES),
    ("european-union", Stance.SIGNED, "", "", "", BRUSSELS_TIMES),
    (
        "US",
        Stance.DECLINED,
        US_STATEMENT,
        "JD Vance, Vice President of the United States, in his speech at the summit",
        "",
        ANADOLU,
    ),
    (
        "GB",
        Stance.DECLINED,
        UK_STATEMENT,
        "Spokesperson for the Prime Minister",
        "keir-starmer",
        HCA_MAG,
    ),
]

SCALAR_FIELDS = [
    "title",
    "short_title",
    "kind",
    "summary",
    "initiative_status",
    "announced_on",
    "amount",
    "currency",
    "amount_qualifier",
    "amount_note",
    "reported_signatory_count",
    "jurisdictions",
    "description",
    "website",
]


def load_initiatives(cat: Catalogue) -> None:
    summit = cat[Event, SUMMIT]
    # INITIATIVES lists every initiative before those that are part of it or build on it.
    for slug, data in INITIATIVES.items():
        values = {name: data[name] for name in SCALAR_FIELDS if name in data}
        values.setdefault("short_title", "")
        values.setdefault("initiative_status", Initiative.InitiativeStatus.ANNOUNCED)
        values.setdefault("announced_on", None)
        values.setdefault("amount", None)
        values.setdefault("currency", "")
        values.setdefault("amount_qualifier", Q.EXACT)
        values.setdefault("amount_note", "")
        values.setdefault("reported_signatory_count", None)
        values.setdefault("jurisdictions", [])
        values.setdefault("description", "")
        values.setdefault("website", "")
        values["announced_at"] = summit if data.get("at_summit") else None
        values["part_of"] = cat[Initiative, data["part_of"]] if "part_of" in data else None
        cat.upsert(
            Initiative,
            key=slug,
            lookup={"slug": slug},
            values={**values, **PUBLISHED},
            m2m={
                "lead_organisations": [cat[Organisation, s] for s in data.get("lead", [])],
                "partner_organisations": [cat[Organisation, s] for s in data.get("partners", [])],
                "people": [cat[Person, s] for s in data.get("people", [])],
                "topics": [cat[Topic, s] for s in data.get("topics", [])],
                "builds_on": [cat[Initiative, s] for s in data.get("builds_on", [])],
            },
        )
    load_signatories(cat)


def load_signatories(cat: Catalogue) -> None:
    statement = cat[Initiative, "paris-statement-inclusive-sustainable-ai"]
    kept = []
    for order, (party, stance, text, by, person, source) in enumerate(PARIS_STATEMENT_PARTIES):
        is_country = len(party) == 2 and party.isupper()
        organisation = None if is_country else cat[Organisation, party]
        lookup = {"initiative": statement}
        # The party not in the lookup is set empty, so a row is a country or an organisation.
        party_fields = (
            ({"country": party}, {"organisation": None})
            if is_country
            else ({"organisation": organisation}, {"country": ""})
        )
        lookup.update(party_fields[0])
        kept.append(
            cat.upsert(
                Signatory,
                lookup=lookup,
                values={
                    **party_fields[1],
                    "stance": stance,
                    "statement": text,
                    "statement_by": by,
                    "statement_person": cat[Person, person] if person else None,
                    "source_url": source,
                    "order": order,
                },
            )
        )
    cat.prune(Signatory, keep=kept, initiative=statement)
    sources = [
        cat.upsert(
            Source,
            lookup={"initiative": statement, "url": url},
            values={"title": title, "publisher": publisher, "published_on": published_on},
        )
        for title, url, publisher, published_on in PARIS_STATEMENT_SOURCES
    ]
    cat.prune(Source, keep=sources, initiative=statement)


# Euros per unit, for the funding comparison. Editors keep these current in the admin; the
# demo's rate approximates the euro reference rate around the summit (10 February 2025).
REFERENCE_RATES = [("USD", Decimal("0.970000"), date(2025, 2, 10))]


def load_reference_rates(cat: Catalogue) -> None:
    for currency, euros_per_unit, as_of in REFERENCE_RATES:
        cat.upsert(
            ReferenceRate,
            lookup={"currency": currency},
            values={
                "euros_per_unit": euros_per_unit,
                "as_of": as_of,
                "source": "Demo rate (approximate euro reference rate)",
            },
        )


STEPS: list[tuple[str, Callable[[Catalogue], None], list[type[models.Model]]]] = [
    ("Initiatives and signatories", load_initiatives, [Initiative, Signatory, Source]),
    ("Reference exchange rates", load_reference_rates, [ReferenceRate]),
]
