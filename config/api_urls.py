"""The partner REST API, version 1 (mounted at ``/api/v1/``).

Sessions are listed at ``sessions/`` (filter ``?event=<slug>`` for one programme) and
addressed at ``sessions/<event_slug>/<slug>/``, because a session's slug is unique only
within its event. A partner's own submissions live at ``submissions/sessions/``. The root,
``/api/v1/`` itself, lists every endpoint with its address.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from core.api.errors import json_not_found
from core.api.root import api_root_view
from events.api import views as events
from initiatives import api as initiatives
from initiatives import open_data
from publications import api as publications

app_name = "api"

router = SimpleRouter()
router.register("topics", events.TopicViewSet, basename="topic")
router.register("organisations", events.OrganisationViewSet, basename="organisation")
router.register("people", events.PersonViewSet, basename="person")
router.register("events", events.EventViewSet, basename="event")
router.register("submissions/sessions", events.SubmissionViewSet, basename="submission")
router.register("initiatives", initiatives.InitiativeViewSet, basename="initiative")
router.register("signatories", initiatives.SignatoryViewSet, basename="signatory")
router.register("journals", publications.JournalViewSet, basename="journal")
router.register("collections", publications.CollectionViewSet, basename="collection")
router.register("articles", publications.ArticleViewSet, basename="article")
router.register("news", publications.NewsPostViewSet, basename="news")

# The root lists each endpoint by its path under /api/v1/.
endpoints = {prefix: f"{basename}-list" for prefix, _viewset, basename in router.registry}
endpoints |= {
    "sessions": "session-list",
    "open-data/initiatives.csv": "open-data-csv",
    "open-data/initiatives.json": "open-data-json",
    "schema": "schema",
    "docs": "docs",
}

urlpatterns = [
    path("", api_root_view(endpoints), name="root"),
    path(
        "sessions/",
        events.SessionViewSet.as_view({"get": "list"}),
        name="session-list",
    ),
    path(
        "sessions/<slug:event_slug>/<slug:slug>/",
        events.SessionViewSet.as_view({"get": "retrieve"}),
        name="session-detail",
    ),
    path("open-data/initiatives.csv", open_data.initiatives_csv, name="open-data-csv"),
    path("open-data/initiatives.json", open_data.initiatives_json, name="open-data-json"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    re_path(r"^[\s\S]*$", json_not_found),
]
