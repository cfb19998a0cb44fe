"""The initiatives app's content type, and the sections it adds to the events app's pages."""

from __future__ import annotations

from django.urls import reverse

from core import registry
from core.pages import RELATED_LIMIT
from core.publishing import prefetch_published
from events.models import Event, Organisation, Person, Session, Topic

from .models import Initiative, Signatory

registry.register(
    Initiative,
    page=registry.Page(
        "initiative-list", "initiatives/initiative_list.html", "initiatives/initiative_detail.html"
    ),
    api=registry.Api("initiatives", "initiatives.api.InitiativeViewSet", "initiative"),
    search=registry.Search(
        "initiatives",
        "Initiatives",
        ("title", "short_title", "summary", "description"),
        order=30,
        facets=registry.Facets(topics="topics", country="jurisdictions"),
    ),
    sitemap=registry.Sitemap(priority=0.8, changefreq="weekly"),
    card=registry.Card(
        date=lambda initiative: initiative.announced_on or initiative.publish_at,
        summary="summary",
        template="initiatives/_initiative_item.html",
    ),
)

# --- What initiatives add to the pages of the events app --------------------------------------
# events does not know that initiatives point at its items; the knowledge lives here.

INITIATIVE_CARD = "initiatives/_initiative_item.html"


def _initiatives(user, **where):
    return Initiative.objects.visible_to(user).filter(**where)[:RELATED_LIMIT]


def _section(key: str, title: str, items, **options) -> registry.Section:
    return registry.Section(
        key, title, items, template=INITIATIVE_CARD, as_name="initiative", order=20, **options
    )


registry.add_section(
    Event,
    _section(
        "initiatives",
        "Initiatives announced",
        lambda event, user: _initiatives(user, announced_at=event),
    ),
)
registry.add_section(
    Session,
    _section(
        "initiatives",
        "Initiatives announced here",
        lambda session, user: Initiative.objects.visible_to(user).filter(announced_in=session),
    ),
)
registry.add_section(
    Session,
    _section(
        "related-initiatives",
        "Initiatives discussed",
        lambda session, user: Initiative.objects.visible_to(user).filter(related_sessions=session),
    ),
)
registry.add_section(
    Person,
    _section("initiatives", "Initiatives", lambda person, user: _initiatives(user, people=person)),
)
registry.add_section(
    Organisation,
    _section(
        "led", "Initiatives led", lambda org, user: _initiatives(user, lead_organisations=org)
    ),
)
registry.add_section(
    Organisation,
    _section(
        "partner",
        "Initiatives as a partner",
        lambda org, user: _initiatives(user, partner_organisations=org),
    ),
)
registry.add_section(
    Organisation,
    registry.Section(
        "stances",
        "Declarations signed or declined",
        lambda org, user: (
            Signatory.objects.visible_to(user)
            .filter(organisation=org)
            .select_related("initiative")
            .order_by("initiative__title")
        ),
        template="initiatives/_stance_item.html",
        as_name="signatory",
        list_class="",
        order=30,
    ),
)
registry.add_section(
    Topic,
    _section(
        "initiatives",
        "Initiatives",
        # A topic's page lists what is public, previewers included.
        lambda topic, user: Initiative.objects.published().filter(topics=topic)[:RELATED_LIMIT],
        more=lambda topic: (
            f"{reverse('initiative-list')}?topic={topic.slug}",
            f"All initiatives on {topic.name}",
        ),
    ),
)


def _discussed_initiatives_field():
    from .api import InitiativeSummarySerializer

    return InitiativeSummarySerializer(
        many=True,
        read_only=True,
        help_text="Published initiatives the session discussed.",
    )


registry.add_api_field(
    Session,
    registry.ApiField(
        "related_initiatives",
        _discussed_initiatives_field,
        # The API shows published initiatives only, whoever asks.
        prefetch=lambda user: prefetch_published("related_initiatives", Initiative),
    ),
)

# A live list that site pages can show (core.sitepages): as on the automatic home page, the
# latest initiatives that put money on the table. Published items only.
registry.add_listing(
    registry.Listing(
        "featured-initiatives",
        "Featured initiatives",
        lambda *, limit, topic=None: (
            Initiative.objects.published()
            .filter(amount__isnull=False, **({"topics__slug": topic} if topic else {}))
            .order_by("-announced_on", "title")[:limit]
        ),
        template="initiatives/_initiative_item.html",
        as_name="initiative",
        by_topic=True,
        more=lambda: (reverse("initiative-list"), "Compare all initiatives"),
        order=30,
    )
)
