"""Viewsets for topics, organisations, people, events, sessions, recordings and submissions.

Each viewset owns its query: the published rows, and the related rows it embeds loaded
in a fixed number of queries through published-only prefetches.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core import registry, workflow
from core.api.errors import Conflict
from core.api.idempotency import idempotent
from core.api.keys import partner_of
from core.api.permissions import CanSubmit, IsPartner
from core.api.viewsets import ApiViewMixin, ReadOnlyViewSet
from core.publishing import prefetch_published
from events.models import (
    Event,
    Organisation,
    Person,
    Recording,
    Session,
    SessionParticipant,
    Topic,
    Track,
)
from events.services import (
    SubmissionClosed,
    submit_side_session,
    update_side_session,
    withdraw_side_session,
)

from . import filters, serializers


def session_summaries(lookup: str = "sessions") -> Prefetch:
    return prefetch_published(lookup, Session, Session.objects.select_related("event"))


def participants(lookup: str = "appearances") -> Prefetch:
    return Prefetch(
        lookup,
        queryset=SessionParticipant.objects.published().select_related("person"),
    )


def tracks(lookup: str = "tracks") -> Prefetch:
    return Prefetch(
        lookup,
        queryset=Track.objects.prefetch_related(prefetch_published("organiser", Organisation)),
    )


@extend_schema_view(
    list=extend_schema(summary="List topics", tags=["topics"]),
    retrieve=extend_schema(summary="One topic", tags=["topics"]),
)
class TopicViewSet(ReadOnlyViewSet):
    serializer_class = serializers.TopicSerializer
    filterset_class = filters.TopicFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self):
        return Topic.objects.published()


@extend_schema_view(
    list=extend_schema(summary="List organisations", tags=["organisations"]),
    retrieve=extend_schema(summary="One organisation", tags=["organisations"]),
)
class OrganisationViewSet(ReadOnlyViewSet):
    serializer_class = serializers.OrganisationSerializer
    detail_serializer_class = serializers.OrganisationDetailSerializer
    filterset_class = filters.OrganisationFilter
    search_fields = ["name", "acronym"]
    ordering_fields = ["name", "updated_at"]
    ordering = ["name"]

    def get_queryset(self):
        qs = Organisation.objects.published().prefetch_related(
            prefetch_published("parent", Organisation), prefetch_published("topics", Topic)
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                prefetch_published("units", Organisation), prefetch_published("people", Person)
            )
        return qs


@extend_schema_view(
    list=extend_schema(summary="List people", tags=["people"]),
    retrieve=extend_schema(summary="One person, with their sessions", tags=["people"]),
)
class PersonViewSet(ReadOnlyViewSet):
    serializer_class = serializers.PersonSerializer
    detail_serializer_class = serializers.PersonDetailSerializer
    filterset_class = filters.PersonFilter
    search_fields = ["name", "role"]
    ordering_fields = ["sort_name", "updated_at"]
    ordering = ["sort_name", "name"]

    def get_queryset(self):
        qs = Person.objects.published().prefetch_related(
            prefetch_published("affiliation", Organisation), prefetch_published("topics", Topic)
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                prefetch_published(
                    "sessions", Session, Session.objects.select_related("event").distinct()
                )
            )
        return qs


@extend_schema_view(
    list=extend_schema(summary="List events", tags=["events"]),
    retrieve=extend_schema(
        summary="One event, with its tracks, sessions and side events", tags=["events"]
    ),
)
class EventViewSet(ReadOnlyViewSet):
    serializer_class = serializers.EventSerializer
    detail_serializer_class = serializers.EventDetailSerializer
    filterset_class = filters.EventFilter
    search_fields = ["title", "summary", "theme", "city", "venue"]
    ordering_fields = ["start", "end", "title", "updated_at"]
    ordering = ["-start"]

    def get_queryset(self):
        qs = Event.objects.published().prefetch_related(
            prefetch_published("parent", Event),
            prefetch_published("hosts", Organisation),
            prefetch_published("host_people", Person),
            prefetch_published("topics", Topic),
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                prefetch_published("organisers", Organisation),
                prefetch_published("side_events", Event),
                tracks(),
                session_summaries(),
            )
        return qs


SESSION_PATH_PARAMS = [
    OpenApiParameter("event_slug", str, OpenApiParameter.PATH, description="The event's slug."),
    OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The session's slug."),
]


@extend_schema_view(
    list=extend_schema(
        summary="List sessions",
        description="Sessions of published events; filter by ?event=<slug> for one programme.",
        tags=["sessions"],
    ),
    retrieve=extend_schema(
        summary="One session, addressed by its event's slug and its own",
        parameters=SESSION_PATH_PARAMS,
        tags=["sessions"],
    ),
)
class SessionViewSet(ReadOnlyViewSet):
    serializer_class = serializers.SessionSerializer
    detail_serializer_class = serializers.SessionDetailSerializer
    filterset_class = filters.SessionFilter
    search_fields = ["title", "summary", "room"]
    ordering_fields = ["start", "end", "title", "updated_at"]
    ordering = ["event__start", "start", "title"]

    def get_queryset(self):
        qs = (
            Session.objects.published()
            .select_related("event", "track")
            .prefetch_related(
                prefetch_published("track__organiser", Organisation),
                prefetch_published("hosts", Organisation),
                prefetch_published("topics", Topic),
                participants(),
            )
        )
        if self.action == "retrieve":
            # What later apps add to a session's detail (initiatives discussed).
            qs = qs.prefetch_related(*registry.api_prefetches(Session, self.request.user))
        return qs

    def get_object(self):
        obj = get_object_or_404(
            self.get_queryset(), event__slug=self.kwargs["event_slug"], slug=self.kwargs["slug"]
        )
        self.check_object_permissions(self.request, obj)
        return obj


@extend_schema_view(
    list=extend_schema(summary="List recordings", tags=["recordings"]),
    retrieve=extend_schema(
        summary="One recording, with its sessions and people", tags=["recordings"]
    ),
)
class RecordingViewSet(ReadOnlyViewSet):
    serializer_class = serializers.RecordingSerializer
    detail_serializer_class = serializers.RecordingDetailSerializer
    filterset_class = filters.RecordingFilter
    search_fields = ["title"]
    ordering_fields = ["recorded_on", "title", "updated_at"]
    ordering = ["-recorded_on", "title"]

    def get_queryset(self):
        return Recording.objects.published().prefetch_related(
            session_summaries(), prefetch_published("people", Person)
        )


@extend_schema_view(
    list=extend_schema(summary="List your submitted sessions", tags=["submissions"]),
    retrieve=extend_schema(summary="One of your submitted sessions", tags=["submissions"]),
    create=extend_schema(
        summary="Submit a side session",
        description=(
            "Creates a side session for a published event, in review and attributed to your "
            "organisation. Speakers are existing people (by slug) or new names."
        ),
        tags=["submissions"],
    ),
    update=extend_schema(summary="Replace a submission still in review", tags=["submissions"]),
    partial_update=extend_schema(
        summary="Change a submission still in review", tags=["submissions"]
    ),
    destroy=extend_schema(summary="Withdraw a submission still in review", tags=["submissions"]),
)
class SubmissionViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A partner's own side-session submissions: never anyone else's.

    Any partner key lists and reads its organisation's submissions (to follow their status);
    submitting, changing and withdrawing need a key that may submit.
    """

    serializer_class = serializers.SubmissionSerializer
    permission_classes = [IsPartner, CanSubmit]
    filterset_class = filters.SubmissionFilter
    search_fields = ["title"]
    ordering_fields = ["created_at", "updated_at", "start", "title"]
    ordering = ["-created_at"]
    per_partner = True

    def get_queryset(self):
        partner = partner_of(self.request)
        if partner is None:  # only reached while the schema is generated
            return Session.objects.none()
        return (
            Session.objects.filter(submitted_by=partner.organisation)
            .select_related("event")
            .prefetch_related(
                prefetch_published("hosts", Organisation),
                Prefetch(
                    "appearances", queryset=SessionParticipant.objects.select_related("person")
                ),
            )
        )

    def _refetched(self, session: Session) -> Session:
        return self.get_queryset().get(pk=session.pk)

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = submit_side_session(
            partner_key=partner_of(request).key, data=serializer.to_submission()
        )
        out = self.get_serializer(self._refetched(session))
        return Response(
            out.data, status=status.HTTP_201_CREATED, headers={"Location": out.data["url"]}
        )

    def update(self, request, *args, **kwargs):
        session = self.get_object()
        self._ensure_open(session)
        serializer = self.get_serializer(
            session, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        try:
            session = update_side_session(
                partner_key=partner_of(request).key,
                session=session,
                changes=serializer.to_changes(),
            )
        except SubmissionClosed as exc:
            raise Conflict(str(exc)) from None
        return Response(self.get_serializer(self._refetched(session)).data)

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        session = self.get_object()
        self._ensure_open(session)
        try:
            withdraw_side_session(partner_key=partner_of(request).key, session=session)
        except SubmissionClosed as exc:
            raise Conflict(str(exc)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @staticmethod
    def _ensure_open(session: Session) -> None:
        if not workflow.may_partner_change(session):
            raise Conflict(
                f"This submission is {session.get_status_display().lower()} "
                "and can no longer be changed or withdrawn."
            )
