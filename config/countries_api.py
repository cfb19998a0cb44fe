"""Countries in the API (``/api/v1/countries/``): the same records as the country pages.

A country is not a stored row: it is listed when something public names it
(``config.countries``), and its detail links to each public item that does, by its API address.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from config.countries import Country, all_countries, country_for, profile
from core.api.viewsets import ApiViewMixin
from core.links import absolute_url
from core.paths import path_for


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2 code (EU for the European Union).")
    name = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="This country in the API.")
    page_url = serializers.SerializerMethodField(help_text="The country's page on the site.")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Public items naming it, by kind."
    )

    def get_url(self, country: Country) -> str:
        return absolute_url(path_for("api:country-detail", code=country.slug))

    def get_page_url(self, country: Country) -> str:
        return absolute_url(country.get_absolute_url())


class ItemLinkSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="The item in the API.")
    page_url = serializers.CharField(help_text="The item's page on the site.")


class StanceSerializer(ItemLinkSerializer):
    stance = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    statement = serializers.CharField()
    source_url = serializers.CharField()


class CountryDetailSerializer(CountrySerializer):
    declarations = StanceSerializer(many=True)
    initiatives = ItemLinkSerializer(many=True)
    organisations = ItemLinkSerializer(many=True)
    events = ItemLinkSerializer(many=True)
    people = ItemLinkSerializer(many=True)


def _link(item, title: str, api_name: str) -> dict:
    return {
        "title": title,
        "url": absolute_url(path_for(api_name, slug=item.slug)),
        "page_url": absolute_url(item.get_absolute_url()),
    }


def detail_record(country: Country) -> dict:
    found = profile(country)
    stances = [
        _link(s.initiative, s.initiative.title, "api:initiative-detail")
        | {
            "stance": s.stance,
            "date": s.date,
            "statement": s.statement,
            "source_url": s.source_url,
        }
        for s in [*found["signed"], *found["declined"]]
    ]
    return {
        "country": country,
        "declarations": stances,
        "initiatives": [_link(i, i.title, "api:initiative-detail") for i in found["initiatives"]],
        "organisations": [
            _link(o, o.name, "api:organisation-detail") for o in found["organisations"]
        ],
        "events": [_link(e, e.title, "api:event-detail") for e in found["events"]],
        "people": [_link(p, p.name, "api:person-detail") for p in found["people"]],
    }


@extend_schema_view(
    list=extend_schema(summary="List countries", tags=["countries"]),
    retrieve=extend_schema(
        summary="One country", tags=["countries"], responses=CountryDetailSerializer
    ),
)
class CountryViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Countries named by published content, by name; ``{code}`` is lower-case (``fr``, ``eu``)."""

    lookup_field = "code"
    lookup_value_regex = r"[a-zA-Z]{2}"
    serializer_class = CountrySerializer
    filter_backends: list = []

    def list(self, request):
        page = self.paginate_queryset(all_countries())
        return self.get_paginated_response(CountrySerializer(page, many=True).data)

    def retrieve(self, request, code: str):
        country = country_for(code)
        if country is None:
            raise exceptions.NotFound("Nothing public names this country.")
        record = detail_record(country)
        return Response(CountrySerializer(record.pop("country")).data | record)
