"""Public pages for initiatives: the filterable tracker with its funding chart, and details."""

from __future__ import annotations

import django_filters
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django_countries import countries

from core.choosers import ItemFilter, SuggestingFilterSet, suggestions_view
from core.pages import PAGE_SIZE, RELATED_LIMIT, DetailPage, Related, paginate, render_page
from core.publishing import shown
from events.models import Event, Organisation, Topic

from .currency import ancestor_annotations, funding_chart, in_euros, reference_rates
from .jsonld import initiative_ld
from .maps import signatory_map
from .models import Initiative, Signatory
from .timeline import tracker_timeline


class InitiativeFilter(SuggestingFilterSet):
    """The tracker's filters; an invalid value is reported on the form and ignored."""

    # Choices are callables so that "published" is decided when the page is asked for, not
    # once when the module is imported (scheduled and expiring items would be wrong for days).
    q = django_filters.CharFilter(label="Words in the title", method="filter_words")
    kind = django_filters.ChoiceFilter(choices=Initiative.Kind.choices, empty_label="Any kind")
    jurisdiction = django_filters.ChoiceFilter(
        label="Jurisdiction",
        choices=list(countries),
        method="filter_jurisdiction",
        empty_label="Any jurisdiction",
    )
    status = django_filters.ChoiceFilter(
        field_name="initiative_status",
        label="Status",
        choices=Initiative.InitiativeStatus.choices,
        empty_label="Any status",
    )
    # Text boxes with suggestions (core.choosers): their choices grow with the archive.
    organisation = ItemFilter(
        label="Organisation",
        queryset=lambda filterset: filterset.tracked_organisations(),
        popular=lambda organisations: organisations.order_by("-uses", "name"),
        search_fields=("name", "acronym"),
        method="filter_organisation",
        noun="organisation",
    )
    event = ItemFilter(
        label="Announced at",
        field_name="announced_at",
        queryset=lambda filterset: Event.objects.published().filter(
            pk__in=filterset.tracked.filter(announced_at__isnull=False).values("announced_at")
        ),
        popular=lambda events: events.order_by("-start"),
        search_fields=("title", "city"),
        label_field="title",
        noun="event",
    )
    topic = ItemFilter(
        label="Topic",
        field_name="topics",
        queryset=lambda filterset: Topic.objects.published(),
        popular=lambda topics: topics.annotate(
            uses=Count("initiatives", filter=Q(initiatives__in=Initiative.objects.published()))
        ).order_by("-uses", "name"),
        noun="topic",
    )
    year = django_filters.NumberFilter(
        label="Year announced",
        field_name="announced_on",
        lookup_expr="year",
        min_value=1900,
        max_value=2200,
    )

    class Meta:
        model = Initiative
        fields: list[str] = []

    suggestions_url_name = "initiative-filter-suggestions"

    def __init__(self, *args, **kwargs):
        self.tracked = Initiative.objects.published()
        super().__init__(*args, **kwargs)
        tracked = self.tracked
        # Stored as comma-separated codes ("EU,FR").
        used = {
            code
            for stored in tracked.values_list("jurisdictions", flat=True)
            for code in stored.split(",")
            if code
        }
        self.filters["jurisdiction"].extra["choices"] = [
            (code, name) for code, name in countries if code in used
        ]

    def tracked_organisations(self):
        """Organisations that lead, partner or signed a published initiative, by how often."""
        tracked = self.tracked
        return (
            Organisation.objects.published()
            .annotate(
                uses=Count("led_initiatives", filter=Q(led_initiatives__in=tracked), distinct=True)
                + Count(
                    "partner_initiatives", filter=Q(partner_initiatives__in=tracked), distinct=True
                )
                + Count("stances", filter=Q(stances__initiative__in=tracked), distinct=True)
            )
            .filter(uses__gt=0)
        )

    def filter_words(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(short_title__icontains=value))

    def filter_jurisdiction(self, queryset, name, value):
        # Jurisdictions are stored as comma-separated two-letter codes, so a two-letter
        # substring can only ever match a whole code.
        return queryset.filter(jurisdictions__contains=value)

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(
            Q(lead_organisations=value)
            | Q(partner_organisations=value)
            | Q(signatories__organisation=value)
        ).distinct()


#: How many amounts the funding chart draws; the others are listed in a table.
CHART_BARS = 20
#: What the chart and its table show of an initiative.
CHART_FIELDS = (
    "pk",
    "slug",
    "title",
    "short_title",
    "amount",
    "currency",
    "amount_qualifier",
    "part_of",
)

#: ``/initiatives/filters/<name>/?q=``: what the filter boxes suggest as the visitor types.
initiative_filter_suggestions = suggestions_view(InitiativeFilter)


def initiative_list(request: HttpRequest) -> HttpResponse:
    base = Initiative.objects.published().select_related("announced_at")
    filterset = InitiativeFilter(request.GET or None, queryset=base)
    # django-filter ignores fields whose value is invalid; the form shows why.
    initiatives = filterset.qs
    page = paginate(
        request,
        initiatives.prefetch_related(
            Prefetch("lead_organisations", queryset=Organisation.objects.published())
        ),
    )
    for initiative in page:
        if initiative.announced_at and not initiative.announced_at.is_published:
            initiative.announced_at = None
    rates = reference_rates()
    amounts = initiatives.filter(amount__isnull=False).order_by()
    chart = funding_chart(
        amounts.select_related(None).only(*CHART_FIELDS).annotate(**ancestor_annotations()),
        rates,
    )
    # The chart draws the largest amounts; the rest follow in a table, a page at a time.
    bars = chart["bars"]
    rest = Paginator(bars[CHART_BARS:], PAGE_SIZE).get_page(request.GET.get("funding"))
    query = request.GET.copy()
    query.pop("page", None)
    funding_query = request.GET.copy()
    funding_query.pop("funding", None)
    context = {
        "filter": filterset,
        "page": page,
        "chart": chart,
        "bars": bars[:CHART_BARS],
        "rest": rest,
        "rest_offset": CHART_BARS + rest.start_index() - 1 if bars[CHART_BARS:] else 0,
        "querystring": query.urlencode(),
        "funding_querystring": funding_query.urlencode(),
        "timeline": tracker_timeline(initiatives),
    }
    return render_page(request, "initiatives/initiative_list.html", context)


def _initiative_context(request: HttpRequest, initiative: Initiative, context: dict) -> dict:
    user = request.user
    signatories = list(
        initiative.signatories.visible_to(user).select_related("organisation", "statement_person")
    )
    for signatory in signatories:
        signatory.statement_person = shown(user, signatory.statement_person)
    announced_in = initiative.announced_in
    if announced_in and not (shown(user, announced_in) and shown(user, announced_in.event)):
        announced_in = None
    return {
        "announced_at": shown(user, initiative.announced_at),
        "announced_in": announced_in,
        "part_of": shown(user, initiative.part_of),
        "signed": [s for s in signatories if s.stance != Signatory.Stance.DECLINED],
        "declined": [s for s in signatories if s.stance == Signatory.Stance.DECLINED],
        "signatory_map": signatory_map(signatories),
        "in_euros": in_euros(
            initiative.amount, initiative.currency, reference_rates([initiative.currency])
        )
        if initiative.amount is not None
        else None,
        "timeline": _timeline(initiative, context),
        "jsonld": initiative_ld(initiative, leads=context["leads"], people=context["people"]),
    }


def _timeline(initiative: Initiative, context: dict) -> list[Initiative]:
    """The initiative among those it builds on and those built upon it, by announcement date.

    Only dated initiatives take a place; fewer than two make no timeline.
    """
    related = [*context["builds_on"], *context["built_upon_by"]]
    dated = [other for other in [*related, initiative] if other.announced_on]
    return sorted(dated, key=lambda other: other.announced_on) if len(dated) > 1 else []


initiative_detail = DetailPage(
    Initiative,
    "initiatives/initiative_detail.html",
    name="initiative",
    queryset=lambda user: Initiative.objects.visible_to(user).select_related(
        "announced_at", "announced_in__event", "part_of"
    ),
    related=(
        Related("leads", lambda initiative: initiative.lead_organisations),
        Related("partners", lambda initiative: initiative.partner_organisations),
        Related("people", lambda initiative: initiative.people),
        Related("sources", lambda initiative: initiative.sources),
        Related("builds_on", lambda initiative: initiative.builds_on),
        Related("built_upon_by", lambda initiative: initiative.built_upon_by),
        Related("components", lambda initiative: initiative.components),
        Related("topics", lambda initiative: initiative.topics),
        Related(
            "sessions",
            lambda initiative: initiative.related_sessions.select_related("event").order_by(
                "start", "title"
            ),
            RELATED_LIMIT,
        ),
    ),
    more_context=_initiative_context,
)
