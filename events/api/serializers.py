"""Serializers for topics, organisations, people, events and sessions, and partner submissions.

Each model has one *summary* serializer, embedded wherever that model appears inside
another (in this app and in the later apps), so a partner sees the same shape everywhere.
List serializers extend the summary; detail serializers extend the list ones.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from core.api.links import ApiLinkField
from core.api.registered import RegisteredFieldsMixin
from core.api.serializers import ModelSerializer
from core.links import absolute_url
from events.models import (
    Event,
    Organisation,
    Person,
    Recording,
    Session,
    SessionParticipant,
    Topic,
    Track,
    session_time_errors,
)
from events.services import SessionSubmission, SpeakerData


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The item's public page on the site, as an absolute URL."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return absolute_url(value.get_absolute_url())


class CountryCodeField(serializers.CharField):
    """A country as its ISO 3166-1 alpha-2 code ("" when none)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 code, or EU; empty when none.")
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return getattr(value, "code", value) or ""


def api_link(view_name: str) -> ApiLinkField:
    return ApiLinkField(f"api:{view_name}")


class SessionLinkField(ApiLinkField):
    """Sessions are addressed by their event's slug and their own."""

    def __init__(self, **kwargs):
        super().__init__(
            kwargs.pop("view_name", "api:session-detail"),
            lambda obj: {"event_slug": obj.event.slug, "slug": obj.slug},
            **kwargs,
        )


# ---------------------------------------------------------------------------
# Summaries: embedded everywhere.


class TopicSummarySerializer(ModelSerializer):
    url = api_link("topic-detail")
    page_url = PageUrlField()

    class Meta:
        model = Topic
        fields = ["url", "slug", "name", "page_url"]


class OrganisationSummarySerializer(ModelSerializer):
    url = api_link("organisation-detail")
    page_url = PageUrlField()
    country = CountryCodeField()

    class Meta:
        model = Organisation
        fields = ["url", "slug", "name", "acronym", "kind", "country", "page_url"]


class PersonSummarySerializer(ModelSerializer):
    url = api_link("person-detail")
    page_url = PageUrlField()

    class Meta:
        model = Person
        fields = ["url", "slug", "name", "honorific", "role", "page_url"]


class EventSummarySerializer(ModelSerializer):
    url = api_link("event-detail")
    page_url = PageUrlField()
    country = CountryCodeField()

    class Meta:
        model = Event
        fields = [
            "url",
            "slug",
            "title",
            "kind",
            "start",
            "end",
            "timezone",
            "city",
            "country",
            "page_url",
        ]


class SessionSummarySerializer(ModelSerializer):
    url = SessionLinkField()
    page_url = PageUrlField()
    event_slug = serializers.CharField(source="event.slug", read_only=True)

    class Meta:
        model = Session
        fields = [
            "url",
            "event_slug",
            "slug",
            "title",
            "kind",
            "programme",
            "start",
            "end",
            "page_url",
        ]


class TrackSerializer(ModelSerializer):
    organiser = OrganisationSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Track
        fields = ["slug", "title", "is_special", "organiser"]


class ParticipantSerializer(ModelSerializer):
    person = PersonSummarySerializer(read_only=True)

    class Meta:
        model = SessionParticipant
        fields = ["person", "role", "affiliation_text"]


# ---------------------------------------------------------------------------
# Lists and details


class TopicSerializer(TopicSummarySerializer):
    class Meta(TopicSummarySerializer.Meta):
        fields = [*TopicSummarySerializer.Meta.fields, "description"]


class OrganisationSerializer(OrganisationSummarySerializer):
    parent = OrganisationSummarySerializer(read_only=True, allow_null=True)
    topics = TopicSummarySerializer(many=True, read_only=True)

    class Meta(OrganisationSummarySerializer.Meta):
        fields = [
            *OrganisationSummarySerializer.Meta.fields,
            "website",
            "parent",
            "topics",
            "updated_at",
        ]


class OrganisationDetailSerializer(OrganisationSerializer):
    units = OrganisationSummarySerializer(many=True, read_only=True)
    people = PersonSummarySerializer(many=True, read_only=True)

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "description", "units", "people"]


class PersonSerializer(PersonSummarySerializer):
    affiliation = OrganisationSummarySerializer(read_only=True, allow_null=True)
    topics = TopicSummarySerializer(many=True, read_only=True)

    class Meta(PersonSummarySerializer.Meta):
        fields = [
            *PersonSummarySerializer.Meta.fields,
            "sort_name",
            "orcid",
            "orcid_url",
            "website",
            "affiliation",
            "topics",
            "updated_at",
        ]


class PersonDetailSerializer(PersonSerializer):
    sessions = SessionSummarySerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "bio", "sessions"]


class EventSerializer(EventSummarySerializer):
    parent = EventSummarySerializer(read_only=True, allow_null=True)
    hosts = OrganisationSummarySerializer(many=True, read_only=True)
    host_people = PersonSummarySerializer(
        many=True, read_only=True, help_text="People who host the event (published only)."
    )
    topics = TopicSummarySerializer(many=True, read_only=True)
    sessions_url = serializers.SerializerMethodField(
        help_text="The event's published sessions in the sessions list."
    )

    class Meta(EventSummarySerializer.Meta):
        fields = [
            *EventSummarySerializer.Meta.fields,
            "summary",
            "theme",
            "venue",
            "attendance_mode",
            "event_status",
            "website",
            "parent",
            "hosts",
            "host_people",
            "topics",
            "sessions_url",
            "updated_at",
        ]

    def get_sessions_url(self, obj) -> str:
        url = reverse("api:session-list", request=self.context.get("request"))
        return f"{url}?event={obj.slug}"


class EventDetailSerializer(EventSerializer):
    organisers = OrganisationSummarySerializer(many=True, read_only=True)
    side_events = EventSummarySerializer(many=True, read_only=True)
    tracks = TrackSerializer(many=True, read_only=True)
    sessions = SessionSummarySerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "description",
            "organisers",
            "side_events",
            "tracks",
            "sessions",
        ]


class SessionSerializer(SessionSummarySerializer):
    event = EventSummarySerializer(read_only=True)
    track = TrackSerializer(read_only=True, allow_null=True)
    hosts = OrganisationSummarySerializer(many=True, read_only=True)
    topics = TopicSummarySerializer(many=True, read_only=True)
    participants = ParticipantSerializer(source="appearances", many=True, read_only=True)

    class Meta(SessionSummarySerializer.Meta):
        fields = [
            *SessionSummarySerializer.Meta.fields,
            "event",
            "track",
            "summary",
            "room",
            "online_url",
            "hosts",
            "topics",
            "participants",
            "updated_at",
        ]


class SessionDetailSerializer(RegisteredFieldsMixin, SessionSerializer):
    # Later apps add what points at the session (initiatives discussed) through the registry.
    class Meta(SessionSerializer.Meta):
        fields = [
            *SessionSerializer.Meta.fields,
            "description",
            "recording_url",
            "slides_url",
        ]


class RecordingSerializer(ModelSerializer):
    url = api_link("recording-detail")
    page_url = PageUrlField()
    recording_url = serializers.URLField(source="url", read_only=True)
    sessions = SessionSummarySerializer(many=True, read_only=True)
    people = PersonSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Recording
        fields = [
            "url",
            "slug",
            "title",
            "kind",
            "recording_url",
            "duration",
            "recorded_on",
            "sessions",
            "people",
            "page_url",
            "updated_at",
        ]


class RecordingDetailSerializer(RecordingSerializer):
    class Meta(RecordingSerializer.Meta):
        fields = [*RecordingSerializer.Meta.fields, "description"]


# ---------------------------------------------------------------------------
# Partner submissions


class SpeakerInputSerializer(serializers.Serializer):
    person = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Person.objects.none(),  # set per request: published people only
        required=False,
        allow_null=True,
        help_text="Slug of a person already on the site.",
    )
    name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="For someone not yet on the site: editors check the name before publishing.",
    )
    role = serializers.ChoiceField(
        choices=SessionParticipant.Role.choices, default=SessionParticipant.Role.SPEAKER
    )
    affiliation_text = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.published()

    def validate(self, attrs):
        has_person = attrs.get("person") is not None
        has_name = bool(attrs.get("name", "").strip())
        if has_person == has_name:
            raise serializers.ValidationError("Give either an existing person's slug or a name.")
        return attrs


class SubmissionSerializer(ModelSerializer):
    """A side session as its submitting partner sees and sends it."""

    url = serializers.HyperlinkedIdentityField(view_name="api:submission-detail", read_only=True)
    event = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Event.objects.none(),
        help_text="Slug of the published event the session is held alongside.",
    )
    kind = serializers.ChoiceField(choices=Session.Kind.choices, default=Session.Kind.SIDE_EVENT)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    hosts = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.none(),
        many=True,
        required=False,
        help_text="Slugs of the published organisations hosting the session.",
    )
    speakers = SpeakerInputSerializer(many=True, required=False, write_only=True)
    participants = ParticipantSerializer(source="appearances", many=True, read_only=True)
    page_url = serializers.SerializerMethodField(help_text="The public page, once published.")

    class Meta:
        model = Session
        fields = [
            "url",
            "id",
            "event",
            "slug",
            "title",
            "kind",
            "programme",
            "summary",
            "description",
            "start",
            "end",
            "room",
            "online_url",
            "hosts",
            "speakers",
            "participants",
            "status",
            "page_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "slug", "programme", "status", "created_at", "updated_at"]
        extra_kwargs = {
            "title": {"max_length": 250},
            "summary": {"required": False, "allow_blank": True},
            "description": {"required": False, "allow_blank": True},
            "room": {"required": False, "allow_blank": True},
            "online_url": {"required": False, "allow_blank": True},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.published()
        self.fields["hosts"].child_relation.queryset = Organisation.objects.published()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # The event of a submission is fixed once submitted.
            self.fields["event"].read_only = True

    def get_page_url(self, obj) -> str | None:
        return absolute_url(obj.get_absolute_url()) if obj.is_published else None

    def validate_speakers(self, value):
        if len(value) > 30:
            raise serializers.ValidationError("At most 30 speakers.")
        return value

    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        errors = {}
        if start and end and end <= start:
            errors["end"] = "The end must come after the start."
        event = attrs.get("event", getattr(self.instance, "event", None))
        for name, message in session_time_errors(event, start, end).items():
            errors.setdefault(name, message)
        room = attrs.get("room", getattr(self.instance, "room", ""))
        online_url = attrs.get("online_url", getattr(self.instance, "online_url", ""))
        if not (room or "").strip() and not (online_url or "").strip():
            errors["room"] = "Give a room, an online link, or both."
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    @staticmethod
    def speakers_from(items: list[dict]) -> list[SpeakerData]:
        return [
            SpeakerData(
                person=item.get("person"),
                name=item.get("name", ""),
                role=item.get("role", SessionParticipant.Role.SPEAKER),
                affiliation_text=item.get("affiliation_text", ""),
            )
            for item in items
        ]

    def to_submission(self) -> SessionSubmission:
        data = dict(self.validated_data)
        data["speakers"] = self.speakers_from(data.get("speakers", []))
        data["hosts"] = list(data.get("hosts", []))
        return SessionSubmission(**data)

    def to_changes(self) -> dict[str, object]:
        changes = dict(self.validated_data)
        changes.pop("event", None)
        if "speakers" in changes:
            changes["speakers"] = self.speakers_from(changes["speakers"])
        if "hosts" in changes:
            changes["hosts"] = list(changes["hosts"])
        return changes
