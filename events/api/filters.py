"""FilterSets for the events app's API. Every value is validated: a bad one is a 400."""

from __future__ import annotations

from django.db.models import Q
from django_filters import rest_framework as filters

from core.api.filters import (
    CountryFilter,
    StrictFilterSet,
    YearFilter,
    date_range_filters,
    slug_filter,
)
from core.publishing import Status
from events.models import Event, Organisation, Person, Recording, Session, Topic


def _topic():
    return slug_filter(Topic, field_name="topics", help_text="Slug of a topic.")


class TopicFilter(filters.FilterSet):
    class Meta:
        model = Topic
        fields = []


class OrganisationFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices)
    country = CountryFilter()
    topic = _topic()

    class Meta:
        model = Organisation
        fields = []


class PersonFilter(StrictFilterSet):
    organisation = slug_filter(
        Organisation, field_name="affiliation", help_text="Slug of the current affiliation."
    )
    topic = _topic()

    class Meta:
        model = Person
        fields = []


class EventFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=Event.Kind.choices)
    status = filters.ChoiceFilter(
        field_name="event_status",
        choices=Event.EventStatus.choices,
        help_text="Scheduled, postponed, cancelled or completed.",
    )
    attendance_mode = filters.ChoiceFilter(choices=Event.AttendanceMode.choices)
    country = CountryFilter()
    year = YearFilter(field_name="start__year", help_text="Events that start in this year.")
    organisation = slug_filter(
        Organisation,
        field_name="hosts",
        method="filter_organisation",
        help_text="Slug of an organisation that hosts or organises the event.",
    )
    topic = _topic()
    parent = slug_filter(
        Event, field_name="parent", help_text="Slug of the event these are held alongside."
    )
    date_from, date_to = date_range_filters("start", "end")

    class Meta:
        model = Event
        fields = []

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(Q(hosts=value) | Q(organisers=value)).distinct()


class SessionFilter(StrictFilterSet):
    event = slug_filter(Event, field_name="event", help_text="Slug of the event.")
    track = filters.CharFilter(
        field_name="track__slug", max_length=200, help_text="Slug of a track (combine with event)."
    )
    kind = filters.ChoiceFilter(choices=Session.Kind.choices)
    programme = filters.ChoiceFilter(choices=Session.Programme.choices)
    organisation = slug_filter(
        Organisation, field_name="hosts", help_text="Slug of an organisation hosting the session."
    )
    person = slug_filter(Person, field_name="participants", help_text="Slug of a participant.")
    topic = _topic()
    year = YearFilter(field_name="start__year", help_text="Sessions that start in this year.")
    date_from, date_to = date_range_filters("start", "end")

    class Meta:
        model = Session
        fields = []


class RecordingFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=Recording.Kind.choices)
    event = slug_filter(
        Event, field_name="sessions__event", help_text="Slug of the event a session is from."
    )
    person = slug_filter(Person, field_name="people", help_text="Slug of a person in it.")
    year = YearFilter(field_name="recorded_on__year", help_text="Recorded in this year.")

    class Meta:
        model = Recording
        fields = []


class SubmissionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        choices=Status.choices,
        help_text="Submissions arrive in review; editors publish or reject them.",
    )
    event = filters.CharFilter(field_name="event__slug", max_length=200, help_text="Event slug.")

    class Meta:
        model = Session
        fields = []


__all__ = [
    "EventFilter",
    "OrganisationFilter",
    "PersonFilter",
    "SessionFilter",
    "SubmissionFilter",
    "TopicFilter",
]
