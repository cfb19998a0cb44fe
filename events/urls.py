"""Public pages of the events app: events, sessions, speakers, organisations and topics."""

from django.urls import path

from . import embed, views

urlpatterns = [
    path("events/", views.event_list, name="event-list"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    # A visitor's starred sessions as a calendar (their ids, kept in their browser).
    path("events/<slug:slug>/agenda.ics", views.event_agenda_calendar, name="event-agenda"),
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/",
        views.session_detail,
        name="session-detail",
    ),
    path("speakers/", views.person_list, name="person-list"),
    path("speakers/<slug:slug>/", views.person_detail, name="person-detail"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("recordings/", views.recording_list, name="recording-list"),
    path("recordings/<slug:slug>/", views.recording_detail, name="recording-detail"),
    # The embeddable programme for partner sites (iframes): see events.embed.
    path("embed/events/<slug:slug>/", embed.event_programme, name="embed-event"),
    path(
        "embed/organisations/<slug:slug>/",
        embed.organisation_programme,
        name="embed-organisation",
    ),
]
