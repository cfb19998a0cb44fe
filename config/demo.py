"""The demo's site pages: About, Team, Partners and the call for papers, built from blocks.

At the top of the chain because the pages link to every app's demo items (people,
organisations, the conference, the journal). Every fact comes from the seed report or the
demo content loaded before; what neither says is not written: the next conference has no
date yet, so its call for papers says it will be announced, with no date. Loading is
idempotent (``Catalogue.upsert``), and blocks the demo no longer lists are removed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from core.references import Ref
from core.sitepages.models import Page, PageBlock
from events.demo import DFP_2024, PUBLISHED, Catalogue
from events.models import Event, Organisation, Person

Kind = PageBlock.Kind


def ref(model: type[models.Model], slug: str) -> str:
    return str(Ref.to(model._default_manager.get(slug=slug)))


def _page(cat: Catalogue, slug: str, parent: Page | None, order: int, **values) -> Page:
    return cat.upsert(
        Page,
        key=slug,
        lookup={"parent": parent, "slug": slug},
        values={"order": order, **values, **PUBLISHED},
    )


def _blocks(cat: Catalogue, page: Page, blocks: list[dict]) -> None:
    kept = []
    for order, values in enumerate(blocks, start=1):
        kept.append(
            cat.upsert(PageBlock, lookup={"page": page, "order": order * 10}, values=values)
        )
    cat.prune(PageBlock, keep=kept, page=page)


def load_pages(cat: Catalogue) -> None:
    conference = ref(Event, DFP_2024)
    about = _page(
        cat,
        "about",
        None,
        10,
        title="About Data for Policy",
        summary="Data for Policy CIC bridges research, policy and practice for AI governance.",
        seo_description=(
            "Data for Policy CIC: research, conferences and policy engagement for AI governance."
        ),
    )
    _blocks(
        cat,
        about,
        [
            {
                "kind": Kind.TEXT,
                "body": (
                    "<p>Data for Policy CIC’s mission is to bridge research, policy and "
                    "practice for AI governance. It advances this mission through its "
                    "research, conferences and policy engagement, fostering evidence-based "
                    "decision-making and international collaboration.</p>"
                ),
            },
            {"kind": Kind.HEADING, "heading": "The conference"},
            {
                "kind": Kind.TEXT,
                "body": (
                    f'<p>The <a data-ref="{conference}">Data for Policy 2024 conference</a> '
                    "was held at Imperial College London under the theme <em>Trustworthy "
                    "Governance with AI</em>. Experts explored key challenges in AI "
                    "governance, the evolving role of generative AI, and the need to "
                    "prioritise AI for public good over existential risk narratives.</p>"
                ),
            },
            {"kind": Kind.HEADING, "heading": "The journal"},
            {
                "kind": Kind.TEXT,
                "body": (
                    "<p><em>Data &amp; Policy</em> is a peer-reviewed journal published by "
                    "Cambridge University Press. It has published research since 2019.</p>"
                ),
            },
            # The journal has no page of its own: its articles are listed at /journal/.
            {"kind": Kind.CTA, "link_label": "Read the journal", "link_url": "/journal/"},
            {
                "kind": Kind.LISTING,
                "listing": "latest-news",
                "heading": "Latest news",
                "limit": 3,
            },
        ],
    )
    team = _page(
        cat,
        "team",
        about,
        10,
        title="Team",
        summary="The people of Data for Policy CIC.",
    )
    _blocks(
        cat,
        team,
        [
            {
                "kind": Kind.TEXT,
                "body": (
                    f'<p><a data-ref="{ref(Person, "stefaan-verhulst")}">Stefaan Verhulst</a> '
                    "is Director of Data for Policy CIC.</p>"
                ),
            },
            {"kind": Kind.ITEMS, "items": [ref(Person, "stefaan-verhulst")]},
            {"kind": Kind.HEADING, "heading": "Speakers at Data for Policy 2024"},
            {
                "kind": Kind.ITEMS,
                "items": [
                    ref(Person, slug)
                    for slug in (
                        "jennifer-prendki",
                        "a-aldo-faisal",
                        "russell-wald",
                        "friederike-schuur",
                        "andrea-renda",
                        "gina-neff",
                    )
                ],
            },
        ],
    )
    partners = _page(
        cat,
        "partners",
        about,
        20,
        title="Partners",
        summary="The organisations behind our journal and our 2024 conference.",
    )
    _blocks(
        cat,
        partners,
        [
            {
                "kind": Kind.TEXT,
                "body": (
                    "<p><em>Data &amp; Policy</em> is published by Cambridge University Press. The "
                    f'<a data-ref="{conference}">Data for Policy 2024 conference</a> was held '
                    "at Imperial College London.</p>"
                ),
            },
            {
                "kind": Kind.ITEMS,
                "items": [
                    ref(Organisation, "cambridge-university-press"),
                    ref(Organisation, "imperial-college-london"),
                ],
            },
        ],
    )
    call = _page(
        cat,
        "call-for-papers",
        None,
        20,
        title="Call for papers: the next Data for Policy conference",
        summary="The call for papers for the next Data for Policy conference will be announced.",
    )
    _blocks(
        cat,
        call,
        [
            {
                "kind": Kind.TEXT,
                "body": (
                    "<p>The call for papers for the next Data for Policy conference will be "
                    "announced on this page. Its dates and place are not yet announced.</p>"
                    f'<p>The last conference, <a data-ref="{conference}">Data for Policy '
                    "2024</a>, was held at Imperial College London under the theme "
                    "<em>Trustworthy Governance with AI</em>.</p>"
                ),
            },
            {
                "kind": Kind.CTA,
                "link_label": "Data for Policy 2024: the programme",
                "link_item": conference,
            },
            {
                "kind": Kind.LISTING,
                "listing": "upcoming-events",
                "heading": "Upcoming events",
                "limit": 4,
            },
        ],
    )


STEPS: list[tuple[str, Callable[[Catalogue], object], list[type[models.Model]]]] = [
    ("Site pages", load_pages, [Page, PageBlock]),
]
