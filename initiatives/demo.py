"""Demo initiatives: what was announced at and around the Paris AI Action Summit 2025.

Amounts, counts and signatories are those our report gives. Where it names no one (the six
data protection authorities, the eleven governments behind Current AI, the 56 signatories it
does not list) the reported number is stored and no names are made up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import models

from events.demo import PUBLISHED, SUMMIT, Catalogue
from events.models import Event, Organisation, Person, Topic

from .models import Initiative, ReferenceRate, Signatory

Kind = Initiative.Kind
Q = Initiative.AmountQualifier
S = Initiative.InitiativeStatus

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
            "governance. Sixty countries signed; the United States and the United Kingdom did "
            "not."
        ),
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

UK_STATEMENT = (
    "“We felt that the declaration didn't provide enough practical clarity on global governance "
    "and didn't sufficiently address harder questions around national security and the "
    "challenge that AI poses to it.” The United Kingdom added that security remains a vital "
    "part of AI's future and that it would keep discussing the question."
)

# The statement's signatories and refusals, as reported: (country, stance, statement, by, person)
PARIS_STATEMENT_PARTIES = [
    ("CA", Signatory.Stance.SIGNED, "", "", ""),
    ("CN", Signatory.Stance.SIGNED, "", "", ""),
    ("FR", Signatory.Stance.SIGNED, "", "", ""),
    ("IN", Signatory.Stance.SIGNED, "", "", ""),
    ("US", Signatory.Stance.DECLINED, "", "", ""),
    (
        "GB",
        Signatory.Stance.DECLINED,
        UK_STATEMENT,
        "Spokesperson for the Prime Minister",
        "keir-starmer",
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
    kept = [
        cat.upsert(
            Signatory,
            lookup={"initiative": statement, "country": country},
            values={
                "organisation": None,
                "stance": stance,
                "statement": text,
                "statement_by": by,
                "statement_person": cat[Person, person] if person else None,
                "order": order,
            },
        )
        for order, (country, stance, text, by, person) in enumerate(PARIS_STATEMENT_PARTIES)
    ]
    cat.prune(Signatory, keep=kept, initiative=statement)


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
    ("Initiatives and signatories", load_initiatives, [Initiative, Signatory]),
    ("Reference exchange rates", load_reference_rates, [ReferenceRate]),
]
